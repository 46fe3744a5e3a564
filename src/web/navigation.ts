import { can } from '../domain/access.js'
import type { Actor } from '../domain/actor.js'

export interface NavItem {
  href: string
  text: string
}

/** The service navigation: only the places this person's role can use. */
export function navItems(actor: Actor): NavItem[] {
  const items: NavItem[] = []
  // The day's work first, then making referrals, then oversight, the rules helpers and settings.
  if (can(actor, 'single-list:view')) items.push({ href: '/cases', text: 'Single List' })
  if (can(actor, 'escalation:answer')) items.push({ href: '/escalations', text: 'Escalated to me' })
  if (can(actor, 'case:work')) items.push({ href: '/reviews', text: 'Reviews' })
  if (can(actor, 'sao:work')) items.push({ href: '/sao', text: 'School attendance orders' })
  if (can(actor, 'returns:view') && actor.organisationKind === 'la')
    items.push({ href: '/returns', text: 'School returns' })
  if (can(actor, 'school:pupils')) items.push({ href: '/school', text: 'Pupils of concern' })
  if (can(actor, 'school:pupils')) items.push({ href: '/school/returns', text: 'Leavers and returns' })
  if (can(actor, 'referral:create')) items.push({ href: '/referrals', text: 'Referrals' })
  if (can(actor, 'oversight:view')) items.push({ href: '/oversight', text: 'Oversight' })
  if (can(actor, 'audit:view')) items.push({ href: '/audit', text: 'Audit' })
  if (can(actor, 'rules:use')) items.push({ href: '/rules/school-days', text: 'School days' })
  if (can(actor, 'school:pupils')) items.push({ href: '/rules/deletion-check', text: 'Check before deletion' })
  if (can(actor, 'admin:settings')) items.push({ href: '/settings', text: 'Settings' })
  if (can(actor, 'admin:users')) items.push({ href: '/admin', text: 'Administration' })
  return items
}
