import type { Config } from '../config.js'

type Out = { log: (s: string) => void; error: (s: string) => void }

/** `onroll calendar import FILE [--school URN]` (issue 4). */
export async function runCalendarCommand(_config: Config, _args: string[], out: Out = console): Promise<number> {
  out.error('onroll: calendar commands are not available yet')
  return 1
}
