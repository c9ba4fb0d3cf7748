import { DescentError, describeValue } from '@descent/core';
import { Ticket } from '../ticket/ticket';

/**
 * Asserts `ticket` is a {@link Ticket}; `fn` names the caller.
 *
 * @throws DescentError `BAD_ARGUMENT`.
 */
export function checkTicket(fn: string, ticket: unknown): asserts ticket is Ticket {
  if (!(ticket instanceof Ticket)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: ticket must be a Ticket (from imp, Ticket.fromTensors or ticketFromJSON), got ${describeValue(ticket)}.`,
    );
  }
}
