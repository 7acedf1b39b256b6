"""Pure rules and values: the 90/60 credit rule, units and roles, reminder planning, conversions, working days,
the clock. Nothing here does I/O or imports ``telegram``; every function takes ``now`` or a policy as a value."""
