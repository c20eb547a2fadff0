package io.poolgate.neon;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.impl.SqlConnectionBase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A side door into a pooled Vert.x PostgreSQL connection for PostgreSQL's text protocol, as Neon's
 * proxy speaks it: parameters sent as text of no declared type (the server infers each type and
 * parses the text with that type's input function) and every result value received as the
 * server's own text output. The Vert.x client cannot do either: it binds typed Java values and
 * decodes binary results into Java objects.
 *
 * <p>The tap sits in the connection's Netty pipeline just before the Vert.x codec (after TLS).
 * Idle, it passes every byte through. While an {@link Exchange} runs, it writes the exchange's
 * request past the Vert.x encoder and hands each backend message to the exchange instead of to
 * the Vert.x decoder, up to and including the ReadyForQuery that ends it. This is safe because the
 * connection is leased: the Vert.x client has no command in flight and sends none until the lease
 * is released, which happens only after the exchange has ended.
 */
final class WireTap extends ChannelInboundHandlerAdapter {

    static final String NAME = "poolgate-text-protocol";
    /** The Vert.x PostgreSQL codec's name in the pipeline ({@code PgSocketConnection.init}). */
    private static final String VERTX_CODEC = "codec";

    private volatile ChannelHandlerContext context;
    // event loop only
    private Exchange exchange;
    private ByteBuf partial;

    /** The tap of {@code connection}, installed on first use. */
    static WireTap of(PgConnection connection) {
        ChannelPipeline pipeline = pipeline(connection);
        WireTap tap = (WireTap) pipeline.get(NAME);
        if (tap == null) {
            tap = new WireTap();
            pipeline.addBefore(VERTX_CODEC, NAME, tap);
            // added off the event loop, handlerAdded runs there later, but before anything run() schedules
            tap.context = pipeline.context(tap);
        }
        return tap;
    }

    private static ChannelPipeline pipeline(PgConnection connection) {
        if (connection instanceof SqlConnectionBase<?> base
                && base.unwrap() instanceof SocketConnectionBase socket) {
            return socket.socket().channelHandlerContext().pipeline();
        }
        throw new IllegalStateException("the PostgreSQL connection is a " + connection.getClass().getName()
                + ", not the Vert.x socket connection the text protocol needs");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    /**
     * Sends {@code request} and feeds the answers to {@code next}; completes when its ReadyForQuery
     * has arrived (normally even when the server reported an error: see {@link Exchange#error()}).
     */
    CompletionStage<Exchange> run(Exchange next, ByteBuf request) {
        context.executor().execute(() -> start(next, request));
        return next.done();
    }

    private void start(Exchange next, ByteBuf request) {
        if (exchange != null) {
            request.release();
            next.fail(new IllegalStateException("another text-protocol exchange is running on this connection"));
            return;
        }
        if (!context.channel().isActive()) {
            request.release();
            next.fail(new WireException("the connection to PostgreSQL is closed"));
            return;
        }
        exchange = next;
        context.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess()) {
                abort(new WireException("sending to PostgreSQL failed: " + written.cause().getMessage()));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange == null || !(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        partial = partial == null ? bytes : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), partial, bytes);
        try {
            // a backend message: type (1 byte), length including itself (4 bytes), body
            while (exchange != null && partial.readableBytes() >= 5) {
                int start = partial.readerIndex();
                int length = partial.getInt(start + 1);
                if (length < 4) {
                    throw new WireException("PostgreSQL sent a message of length " + length);
                }
                if (partial.readableBytes() < 1 + length) {
                    break;
                }
                byte type = partial.getByte(start);
                ByteBuf body = partial.slice(start + 5, length - 4);
                partial.skipBytes(1 + length);
                if (type == 'G') {
                    // CopyInResponse: the server waits for rows from us; it ignored our Sync meanwhile
                    ctx.writeAndFlush(Frontend.copyFail(ctx.alloc(), "COPY FROM STDIN is not supported over HTTP"));
                }
                if (exchange.message(type, body)) {
                    Exchange ended = exchange;
                    exchange = null;
                    ended.complete();
                }
            }
        } catch (RuntimeException e) {
            abort(e instanceof WireException ? e : new WireException("reading PostgreSQL's answer failed: " + e));
            return;
        }
        if (exchange == null && partial.isReadable()) {
            ByteBuf rest = partial; // not ours: the Vert.x decoder's
            partial = null;
            ctx.fireChannelRead(rest);
        } else if (!partial.isReadable()) {
            partial.release();
            partial = null;
        }
    }

    /** The exchange fails and the connection is closed: where the protocol stands is unknown. */
    private void abort(Throwable cause) {
        if (partial != null) {
            partial.release();
            partial = null;
        }
        Exchange failed = exchange;
        exchange = null;
        if (failed != null) {
            failed.fail(cause);
        }
        context.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            Exchange failed = exchange;
            exchange = null;
            failed.fail(new WireException("the connection to PostgreSQL closed while a statement ran"));
        }
        if (partial != null) {
            partial.release();
            partial = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (exchange != null) {
            Exchange failed = exchange;
            exchange = null;
            failed.fail(new WireException("the connection to PostgreSQL failed: " + cause.getMessage()));
        }
        ctx.fireExceptionCaught(cause);
    }

    /** The connection broke or spoke out of turn: it must not be lent again. */
    static final class WireException extends RuntimeException {
        WireException(String message) {
            super(message, null, false, false);
        }
    }
}
