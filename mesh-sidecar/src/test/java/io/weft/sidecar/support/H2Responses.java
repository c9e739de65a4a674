package io.weft.sidecar.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what an h2c server sent on one connection (its frames, without a preface) into one {@link Answer} per
 * stream that got response headers. GOAWAY and RST_STREAM are the proxy's way to refuse, so they are allowed and
 * not reported.
 *
 * @throws IllegalStateException when the bytes are not valid HTTP/2 frames
 */
public final class H2Responses extends Http2FrameAdapter {

    private final Map<Integer, Http2Headers> heads = new LinkedHashMap<>();
    private final Map<Integer, StringBuilder> bodies = new LinkedHashMap<>();

    public static List<Answer> parse(byte[] received) {
        H2Responses frames = new H2Responses();
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ByteBuf in = Unpooled.wrappedBuffer(received);
        try (DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(true)) {
            reader.readFrame(ch.pipeline().firstContext(), in, frames); // a frame cut off by the close is left unread
        } catch (Http2Exception e) {
            throw new IllegalStateException("not HTTP/2 frames: " + e.getMessage(), e);
        } finally {
            in.release();
            ch.finishAndReleaseAll();
        }
        return frames.answers();
    }

    private List<Answer> answers() {
        List<Answer> answers = new ArrayList<>();
        heads.forEach((stream, h) -> {
            CharSequence local = h.get("x-weft-local-reply");
            answers.add(new Answer(Integer.parseInt(String.valueOf(h.status())), local == null ? null : local.toString(),
                    bodies.getOrDefault(stream, new StringBuilder()).toString()));
        });
        return answers;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endStream) {
        Http2Headers earlier = heads.get(streamId);
        // Trailers carry no status; a final response replaces an interim one (100 Continue).
        if (headers.status() != null && (earlier == null || earlier.status().charAt(0) == '1')) {
            heads.put(streamId, headers);
        }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                              short weight, boolean exclusive, int padding, boolean endStream) {
        onHeadersRead(ctx, streamId, headers, padding, endStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        bodies.computeIfAbsent(streamId, s -> new StringBuilder()).append(data.toString(StandardCharsets.UTF_8));
        return data.readableBytes() + padding;
    }
}
