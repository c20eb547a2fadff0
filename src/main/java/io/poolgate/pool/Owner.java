package io.poolgate.pool;

/**
 * Who holds a lease, for leak reports and the status API.
 *
 * @param client  the client (remote address or API key name)
 * @param request the request id
 */
public record Owner(String client, String request) {

    public static final Owner UNKNOWN = new Owner("unknown", "-");

    @Override
    public String toString() {
        return "client " + client + ", request " + request;
    }
}
