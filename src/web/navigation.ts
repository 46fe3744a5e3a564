import { can } from '../domain/access.js'
import type { Actor } from '../domain/actor.js'

export interface NavItem {
  href: string
  text: string
}

/** The service navigation: only the places this person's role can use. */
export function navItems(actor: Actor): NavItem[] {
  const items: NavItem[] = []
  if (can(actor, 'single-list:view')) items.push({ href: '/cases', text: 'Single List' })
  if (can(actor, 'referral:create')) items.push({ href: '/referrals', text: 'Referrals' })
  if (can(actor, 'oversight:view')) items.push({ href: '/oversight', text: 'Oversight' })
  if (can(actor, 'audit:view')) items.push({ href: '/audit', text: 'Audit' })
  if (can(actor, 'admin:users')) items.push({ href: '/admin', text: 'Administration' })
  if (can(actor, 'rules:use')) items.push({ href: '/rules/school-days', text: 'School days' })
  if (can(actor, 'school:pupils')) items.push({ href: '/rules/deletion-check', text: 'Check before deletion' })
  if (can(actor, 'admin:settings')) items.push({ href: '/settings', text: 'Settings' })
  if (can(actor, 'school:pupils')) items.push({ href: '/school', text: 'Pupils of concern' })
  return items
}
