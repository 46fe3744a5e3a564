import { exampleReferral } from './src/domain/referralExample.js'
import { validateReferral } from './src/domain/referral.js'
const today = '2026-11-10'
const ex = exampleReferral(today)
let t = performance.now()
for (let i = 0; i < 10000; i++) validateReferral(ex, { today })
console.log(((performance.now() - t) / 10000 * 1000).toFixed(1), 'µs per referral')
