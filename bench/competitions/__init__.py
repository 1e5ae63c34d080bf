"""One module per competition. Each defines `COMPETITION` (a `bench.competition.Competition`) and
`prepare(raw, public, private)`; offline ones also define `LADDER` (reference solutions)."""
