/** Runs the CLI from source (development: `npm run dev`); the installed `onroll` runs bin/onroll.js. */
import { main } from './cli.js'

main(process.argv.slice(2)).then(
  code => {
    if (code >= 0) process.exit(code)
  },
  (err: unknown) => {
    console.error(`onroll: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  },
)
