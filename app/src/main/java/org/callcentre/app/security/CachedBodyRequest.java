package org.callcentre.app.security;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/** A request whose body a filter has read (within a bound), offered again to what comes after it. */
final class CachedBodyRequest extends HttpServletRequestWrapper {

    /** A body longer than a filter is willing to read. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("the request body is larger than allowed");
        }
    }

    private final byte[] body;

    private CachedBodyRequest(HttpServletRequest request, byte[] body) {
        super(request);
        this.body = body;
    }

    /**
     * Reads the body, refusing one that says or turns out to be longer than {@code limit} bytes: the declared
     * length is checked before anything is read, and a body without one is read only to {@code limit + 1}.
     */
    static CachedBodyRequest read(HttpServletRequest request, int limit) throws IOException {
        if (request.getContentLengthLong() > limit) {
            throw new TooLarge();
        }
        InputStream in = request.getInputStream();
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            throw new TooLarge();
        }
        return new CachedBodyRequest(request, body);
    }

    /** The request with {@code body} in place of its own (already read or rewritten by a filter). */
    static CachedBodyRequest of(HttpServletRequest request, byte[] body) {
        return new CachedBodyRequest(request, body);
    }

    byte[] body() {
        return body;
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public String getHeader(String name) {
        return "Content-Length".equalsIgnoreCase(name) ? String.valueOf(body.length) : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return "Content-Length".equalsIgnoreCase(name) ? Collections.enumeration(List.of(String.valueOf(body.length)))
                : super.getHeaders(name);
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("synchronous only");
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
}
