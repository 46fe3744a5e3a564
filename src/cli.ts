#!/usr/bin/env node
/**
 * `onroll <command>`: the one entry point for people running the service from a shell.
 */
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, type Config } from './config.js'
import { describeDemoLoad, loadDemo } from './demo/index.js'
import { openRuntime } from './runtime.js'
import { serve } from './server.js'
import { runAdminCommand } from './cli/admin.js'
import { runCalendarCommand } from './cli/calendar.js'
import { runJobsCommand } from './cli/jobs.js'

const HELP = `Usage: onroll <command> [options]

Commands:
  start                  migrate, load the demo data into an empty database, and serve with demo sign-in
  serve                  migrate and serve (production)
  migrate                bring the database schema up to date
  demo                   load the demo data set (safe to run again)
  users add|list|deactivate   manage users
  orgs add|list          manage organisations
  tokens create|list|revoke   manage API tokens
  audit verify           check the audit trail has not been altered
  calendar import FILE [--school URN]   import term dates (ICS or CSV)
  jobs list|run NAME     list the scheduled jobs and their last runs, or run one now
`

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  let config: Config
  try {
    config = loadConfig(command === 'start' ? { DEMO_SIGN_IN: 'true', ...process.env } : process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`onroll: configuration problem: ${err.message}`)
      return 2
    }
    throw err
  }

  switch (command) {
    case 'start':
      await serve(config, { demoIfEmpty: true })
      return -1
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean' } } })
      await serve(config, { demoIfEmpty: values.demo === true })
      return -1
    }
    case 'migrate': {
      const runtime = await openRuntime(config)
      await runtime.close()
      console.log('The database is up to date.')
      return 0
    }
    case 'demo': {
      const runtime = await openRuntime(config)
      try {
        console.log(describeDemoLoad(await loadDemo(runtime, config.la.code)))
      } finally {
        await runtime.close()
      }
      return 0
    }
    case 'calendar':
      return runCalendarCommand(config, rest)
    case 'jobs':
      return runJobsCommand(config, rest)
    case 'users':
    case 'orgs':
    case 'tokens':
    case 'audit':
      return runAdminCommand(config, command, rest)
    case undefined:
    case 'help':
    case '--help':
      console.log(HELP)
      return command === undefined ? 1 : 0
    default:
      console.error(`onroll: unknown command "${command}"\n\n${HELP}`)
      return 1
  }
}
