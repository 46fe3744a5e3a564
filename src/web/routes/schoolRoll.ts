import type { FastifyInstance } from 'fastify'
import { CIRCUMSTANCES } from '../../domain/pupilConcern.js'
import { NC_YEARS, PUPIL_FIELDS, SEN_PROVISION, type PupilFields } from '../../domain/pupil.js'
import { ValidationError } from '../../services/errors.js'
import { parseAddress, parseContacts } from '../../services/rollService.js'
import { callerOf } from '../plugins/auth.js'
import { formBody, pathId } from '../forms.js'
import type { RouteOptions } from './index.js'
import { formState, schoolInput, str } from './schoolForms.js'

const CSV_EXAMPLE = `${PUPIL_FIELDS.join(',')}
A801200126001,Ada,Alderbrook,,2018-10-04,F,3,2022-09-05,12 Heron Way,,Demotown,IG9 1AA,Bea Alderbrook,Mother,07700 900123,,,,N,N,N,N,`

/** The school's roll: the list and search, the CSV import and adding a pupil by hand; and one pupil's page. */
export async function schoolRollRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const access = { config: { access: 'school:pupils' as const } }

  app.get('/school/roll', access, async (request, reply) => {
    const { pupils, total } = await services.roll.list(callerOf(request))
    const q = request.query as Record<string, unknown>
    return reply.view('pages/school/roll.njk', {
      pupils,
      total,
      search: '',
      imported: q.imported === '1' ? { added: Number(q.added) || 0, updated: Number(q.updated) || 0 } : null,
    })
  })

  // Names are searched by POST, so that they never appear in a URL or a log.
  app.post('/school/roll', access, async (request, reply) => {
    const search = str(formBody(request.body).search).slice(0, 100)
    const { pupils, total } = await services.roll.list(callerOf(request), search.trim() || undefined)
    return reply.view('pages/school/roll.njk', { pupils, total, search, searched: search.trim() !== '' })
  })

  app.get('/school/roll/import', access, async (_request, reply) =>
    reply.view('pages/school/roll-import.njk', { example: CSV_EXAMPLE, columns: PUPIL_FIELDS, values: {} }),
  )

  app.post('/school/roll/import', access, async (request, reply) => {
    const text = str(formBody(request.body).text)
    if (text.trim() === '')
      return reply.code(400).view('pages/school/roll-import.njk', {
        example: CSV_EXAMPLE,
        columns: PUPIL_FIELDS,
        values: { text },
        errorList: [{ text: 'Paste the contents of the roll file', href: '#text' }],
        errors: { text: { text: 'Paste the contents of the roll file' } },
      })
    const result = await services.roll.importCsv(callerOf(request), text)
    if (result.ok)
      return reply.redirect(`/school/roll?imported=1&added=${String(result.added)}&updated=${String(result.updated)}`)
    return reply.code(400).view('pages/school/roll-import.njk', {
      example: CSV_EXAMPLE,
      columns: PUPIL_FIELDS,
      values: { text },
      problems: result.problems,
      errorList: [
        { text: `The file has ${String(result.problems.length)} problems. Nothing was imported.`, href: '#problems' },
      ],
      errors: { text: { text: 'Fix every problem listed below, then paste the whole file again' } },
    })
  })

  const addPage = (
    then: string,
    values: Record<string, string>,
    problems: { field: string; message: string }[] = [],
  ) => ({
    ...formState(values, problems),
    then,
    ncYears: NC_YEARS,
    senProvision: SEN_PROVISION,
  })

  app.get('/school/roll/add', access, async (request, reply) => {
    const then = (request.query as Record<string, unknown>).then === 'concern' ? 'concern' : ''
    return reply.view('pages/school/pupil-form.njk', addPage(then, {}))
  })

  app.post('/school/roll/add', access, async (request, reply) => {
    const { typed, input } = schoolInput(request.body)
    const then = typed.then === 'concern' ? 'concern' : ''
    const fields: PupilFields = {}
    for (const f of PUPIL_FIELDS) fields[f] = input[f]
    try {
      const id = await services.roll.add(callerOf(request), fields)
      return await reply.redirect(then === 'concern' ? `/school/concerns/new/${id}` : `/school/pupils/${id}`)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return reply.code(400).view('pages/school/pupil-form.njk', addPage(then, typed, [...err.problems]))
    }
  })

  app.get('/school/pupils/:pupilId', access, async (request, reply) => {
    const caller = callerOf(request)
    const id = pathId(request.params, 'pupilId')
    // The pupil and their concerns: one read of the record, audited in the same transaction.
    const { pupil, concerns } = await services.concerns.pupilPage(caller, id)
    return reply.view('pages/school/pupil.njk', {
      pupil,
      address: [...parseAddress(pupil.address_lines), pupil.postcode].filter(Boolean),
      contacts: parseContacts(pupil.contacts),
      concerns,
      senLabel: pupil.sen_provision ? (SEN_PROVISION as Record<string, string>)[pupil.sen_provision] : null,
      hasOpenConcern: concerns.some(c => c.status === 'open'),
      circumstanceLabels: CIRCUMSTANCES,
    })
  })
}
