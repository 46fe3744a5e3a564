#!/usr/bin/env node
// Runs the compiled CLI (npm start builds it first when the sources changed).
import { main } from '../dist/cli.js'

main(process.argv.slice(2)).then(
  code => {
    if (code >= 0) process.exit(code)
  },
  err => {
    console.error(`onroll: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  },
)
