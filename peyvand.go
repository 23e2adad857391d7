// Package peyvand holds the registry's domain: sources, records, persons,
// status events and inquiries, the errors every layer maps to exit codes and
// HTTP statuses, and the store interface the database packages implement.
//
// Nothing here imports a database, a network library or a file format: those
// live in their own packages (sqlite, postgres, pfif, table, ingest…) and
// depend on this one, never the other way round.
package peyvand
