"""After-care use-cases, one module per capability: the programme's warranty (`warranty`), opening a ticket and
who sees it (`tickets`), the workshop's triage: advice, repair, swap, refund (`triage`), and the 3-month
questionnaire (`follow_ups`).

Keyword-only, atomic, typed errors. The device moves only through inventory.transitions.apply_transition (its
guards, registered in reuse.aftercare.receivers, let a handed-over device come back only for an open ticket),
the claims only through claims.transitions.move_claim, and refunds through the payments' refund path.
"""
