"""Claim use-cases, one module per capability: keyword-only, atomic, typed errors.

- `checks`: who claims (a household, its referrer under a mandate, an association), its decision, the territory
  its programme covers (the only workshops it claims from), caps, cooldown;
- `reservations`: reserve one device or a batch, choose how to pay, cancel, expire;
- `vouchers`: digital vouchers redeemed on a claim and the funders' statements;
- `waitlist`: the waiting list and the offers made from it;
- `refunds`: card refunds, asked by Rebond or made in the Stripe Dashboard, each recorded once against its claim;
- `notifications`: what the claimant (or its referrer) is told, and the platform's own actor.
- `card_received`: a card Stripe says is paid while its webhook has not come yet (shown, never booked).

Concurrency is left to the database: the claimant's row is locked so that caps hold, the device row is locked and
moved with a conditional transition, a partial unique index allows one live claim per device, and a voucher is
redeemed with a conditional UPDATE.
"""
