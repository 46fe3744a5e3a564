import type { Pupil } from '../data/schema.js'

/** Whether a School Attendance Order naming this school is in force for the pupil (Grounds A, C and F). */
export type SaoNamesSchool = (pupil: Pupil, schoolId: string) => Promise<boolean>

// Wired to the SAO records (sao_processes) at merge; until then no order is known to name the school.
export const saoNamesSchool: SaoNamesSchool = () => Promise.resolve(false)
