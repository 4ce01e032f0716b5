// Compile-time guard (checked by `npm run typecheck`): what the simulator emits must stay
// assignable to the gateway's raw upstream types. Specs may import src/pancake; the simulator may not.
import type * as Gateway from '../../src/pancake/pancake.raw.js';
import type * as Sim from './raw-shapes.js';
import { startSimulator } from './index.js';
import { list } from './spec-helpers.js';

type Assignable<From, To> = [From] extends [To] ? true : false;
const checks: [
  Assignable<Sim.RawCustomer, Gateway.RawCustomer>,
  Assignable<Sim.RawNote, Gateway.RawNote>,
  Assignable<Sim.RawListResponse, Gateway.RawListResponse>,
  Assignable<Sim.RawErrorBody, Gateway.RawErrorBody>,
  Assignable<Gateway.RawCustomerChanges, Sim.RawCustomerChanges>,
  Assignable<Gateway.RawOrderBy, Sim.RawOrderBy>,
] = [true, true, true, true, true, true];

describe('raw shapes', () => {
  it('match the gateway raw types (compile time) and are what the API serves', async () => {
    expect(checks.every(Boolean)).toBe(true);
    const sim = await startSimulator({ customers: 3 });
    try {
      const { body } = await list(sim);
      const response: Gateway.RawListResponse = body as Sim.RawListResponse;
      expect(response.customers).toEqual(
        sim.store.listCustomers('111').sort((a, b) => (a.inserted_at < b.inserted_at ? 1 : -1)),
      );
    } finally {
      await sim.close();
    }
  });
});
