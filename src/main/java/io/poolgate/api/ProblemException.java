package io.poolgate.api;

/** A client error found by the API layer itself (bad JSON, wrong shape, disallowed command). */
final class ProblemException extends RuntimeException {

    private final Problem problem;

    ProblemException(Problem problem) {
        super(problem.getDetail(), null, false, false);
        this.problem = problem;
    }

    static ProblemException badRequest(String detail) {
        return new ProblemException(new Problem("bad-request", "Bad request", 400, detail));
    }

    Problem problem() {
        return problem;
    }
}
