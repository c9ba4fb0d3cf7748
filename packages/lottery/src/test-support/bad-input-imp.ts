/**
 * Test support (not exported): the callable exports whose bad input `bad-input-imp.test.ts`
 * covers. `Ticket` (`Ticket.fromTensors`, `withParams`, `withMasks`, `shape`) and
 * `ticketFromJSON` have their bad-input cases beside them, in `ticket/ticket.test.ts` and
 * `ticket/ticket-json.test.ts`.
 */
export const IMP_EXPORTS_COVERED: readonly string[] = [
  'imp',
  'trainTicket',
  'randomReinit',
  'randomPruning',
  'Ticket',
  'ticketFromJSON',
];
