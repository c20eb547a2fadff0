package io.poolgate.neon;

/** PostgreSQL refused a statement: its error, answered with every field as Neon does (400). */
final class SqlFailure extends RuntimeException {

    private final PgError error;

    SqlFailure(PgError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    PgError error() {
        return error;
    }
}
