package relay

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"

	"microshop/domain"
	"microshop/sync/wire"
)

// storeUnavailableMessage is what devices are told while the relay cannot reach
// its database: they retry with backoff, and nothing they hold is lost.
const storeUnavailableMessage = "The relay cannot reach its database just now; sync again in a moment."

// unavailable wraps a failure to reach the database as the typed error
// devices retry on.
func unavailable(err error) error {
	return &domain.Error{Code: wire.CodeUnavailable, Message: storeUnavailableMessage, Err: err}
}

func isTyped(err error) bool {
	var de *domain.Error
	return errors.As(err, &de)
}

// pgUnreachable reports whether err means the database could not be
// reached or went away (connection refused or lost, server shutting down,
// starting up, out of connections, a timed-out query), rather than refusing
// the query itself.
func pgUnreachable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code[:2] {
		case "08", // connection exception
			"53", // insufficient resources: too many connections
			"57": // operator intervention: shutting down, cannot connect now
			return true
		}
		return false
	}
	// Anything else pgx returns without a server error is the connection
	// failing: refused, reset, closed, or the operation timing out.
	return true
}
