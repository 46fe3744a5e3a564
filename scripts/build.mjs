// Builds the server (tsc) and the styles (Sass with Arial). `--if-needed` skips when nothing changed,
// so `npm start` on a fresh clone builds once and later starts are quick.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as sass from 'sass'

const root = new URL('..', import.meta.url).pathname
const stamp = join(root, 'dist/.build-stamp')

function newest(path) {
  const s = statSync(path)
  if (!s.isDirectory()) return s.mtimeMs
  return readdirSync(path).reduce((m, f) => Math.max(m, newest(join(path, f))), s.mtimeMs)
}

if (process.argv.includes('--if-needed') && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs
  const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'package.json')))
  if (sources <= built) process.exit(0)
}

const started = Date.now()
execFileSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
  {
    stdio: 'inherit',
  },
)

const publicDir = join(root, 'dist/public')
mkdirSync(publicDir, { recursive: true })
const css = sass.compile(join(root, 'src/web/assets/scss/application.scss'), {
  loadPaths: [join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
})
writeFileSync(join(publicDir, 'application.css'), css.css)
copyFileSync(
  join(root, 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js'),
  join(publicDir, 'govuk-frontend.min.js'),
)
copyFileSync(join(root, 'src/web/assets/js/application.mjs'), join(publicDir, 'application.mjs'))
copyFileSync(join(root, 'src/web/assets/images/favicon.svg'), join(publicDir, 'favicon.svg'))
writeFileSync(stamp, new Date().toISOString())
console.log(`onroll built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
