package org.callcentre.app.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.catalina.connector.ClientAbortException;
import org.callcentre.app.web.ProblemResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Bounds every request body, outside every other filter.
 * <ul>
 * <li>A declared length over the limit is answered with 413 at once, unread.</li>
 * <li>A body without a declared length is refused (413) where it passes the limit, and any body still arriving
 * after {@link RequestBodyLimits#timeLimit()} is refused (408): Tomcat's read timeout applies to each piece, so
 * alone it lets a client that sends a byte every few seconds hold one of the few request threads.</li>
 * <li>Whatever answered without reading the whole body (a refusal before reading, such as a missing login), the
 * answer goes out at once; what of the body has already arrived is dropped, and if more is still to come the
 * connection is then closed. Left to itself, Tomcat would first read and discard
 * the rest of the body, at whatever pace the client sends it, on the request's thread. Closing is Tomcat's own
 * way: the error valve flushes and closes the connection when a committed request ends in a client abort.</li>
 * </ul>
 * Tomcat parses forms itself, past this filter's stream; {@code server.tomcat.max-http-form-post-size} bounds
 * them, and the declared length is checked here first.
 */
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final RequestBodyLimits limits;

    public RequestBodyLimitFilter(RequestBodyLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared <= 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null) {
            chain.doFilter(request, response);
            return;
        }
        long limit = limits.limitFor(request.getRequestURI().substring(request.getContextPath().length()),
                request.getContentType());
        if (declared > limit) {
            ProblemResponses.send(response, HttpStatus.PAYLOAD_TOO_LARGE,
                    "a request body here has at most " + limit + " bytes");
            closeWithoutReading(response);
            return;
        }
        Duration timeLimit = limits.timeLimitFor(request.getContentType());
        Bounded bounded = new Bounded(request, limit, System.nanoTime() + timeLimit.toNanos());
        try {
            chain.doFilter(bounded, new SilencedOnRefusal(response, bounded));
        } catch (IOException | ServletException brokenByTheRefusal) {
            if (bounded.refusal == null) {
                throw brokenByTheRefusal;
            }
        }
        if (request.isAsyncStarted()) {
            return;
        }
        if (bounded.refusal != null && !response.isCommitted()) {
            // Whatever the reader made of the broken stream (its answer was silenced), the answer is about the body.
            response.reset();
            ProblemResponses.send(response, bounded.refusal, switch (bounded.refusal) {
                case PAYLOAD_TOO_LARGE -> "a request body here has at most " + limit + " bytes";
                case REQUEST_TIMEOUT -> "the request body must arrive within " + timeLimit.toSeconds() + " s";
                default -> "the request body could not be read";
            });
        }
        if (!bodyFinished(request)) {
            discardWhatHasArrived(request);
        }
        if (!bodyFinished(request)) {
            closeWithoutReading(response);
        }
    }

    /**
     * Reads and drops what of the body has already arrived, never waiting for more. A small body the answer did not
     * need (sent whole, with its head) is then finished and the connection stays open for the client's next request;
     * a body still on its way is not waited for, and the connection is closed as below.
     */
    private static void discardWhatHasArrived(HttpServletRequest request) {
        try {
            ServletInputStream in = request.getInputStream();
            byte[] buffer = new byte[8192];
            int available;
            while (!in.isFinished() && (available = in.available()) > 0) {
                if (in.read(buffer, 0, Math.min(available, buffer.length)) < 0) {
                    return;
                }
            }
        } catch (IOException | IllegalStateException unreadable) {
            // Left to the close.
        }
    }

    private static boolean bodyFinished(HttpServletRequest request) throws IOException {
        try {
            return request.getInputStream().isFinished();
        } catch (IllegalStateException readThroughTheReader) {
            // Only this filter's wrapper reads the request, and always through the stream; but if something read
            // the original request's reader, assume it read to the end.
            return true;
        }
    }

    /**
     * Sends the answer and ends the request as a client abort, so that Tomcat closes the connection instead of
     * reading the rest of the body. The answer must be complete without the connection: delimited by its length,
     * or by the close itself. An answer already streamed in chunks (Spring's message converters flush, so a JSON
     * answer usually is) is left to Tomcat while it keeps the connection; when Tomcat closes it anyway (the client
     * asked to, or the connection served its last request) the answer is ended first, since the abort closes at once
     * and a chunked answer cut off before its last chunk is a broken answer to the client.
     */
    private static void closeWithoutReading(HttpServletResponse response) throws IOException {
        if (!response.isCommitted()) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            response.flushBuffer();
        } else if (response.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            if (!"close".equalsIgnoreCase(response.getHeader(HttpHeaders.CONNECTION))) {
                return;
            }
            try {
                response.getOutputStream().close();
            } catch (IllegalStateException writtenThroughTheWriter) {
                response.getWriter().close();
            }
        } else {
            response.flushBuffer();
        }
        throw new ClientAbortException("the rest of the request body is not read");
    }

    private static final class Bounded extends HttpServletRequestWrapper {
        private final long limit;
        private final long deadline;
        private ServletInputStream stream;
        private volatile HttpStatus refusal;

        Bounded(HttpServletRequest request, long limit, long deadline) {
            super(request);
            this.limit = limit;
            this.deadline = deadline;
        }

        @Override
        public synchronized ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new BoundedStream(super.getInputStream());
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = StandardCharsets.ISO_8859_1;
            if (encoding != null) {
                try {
                    charset = Charset.forName(encoding);
                } catch (IllegalArgumentException unknown) {
                    throw new java.io.UnsupportedEncodingException(encoding);
                }
            }
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        private final class BoundedStream extends ServletInputStream {
            private final ServletInputStream in;
            private long read;

            BoundedStream(ServletInputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                int b;
                try {
                    b = in.read();
                } catch (IOException failed) {
                    throw failed(failed);
                }
                count(b < 0 ? -1 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n;
                try {
                    n = in.read(buffer, offset, length);
                } catch (IOException failed) {
                    throw failed(failed);
                }
                count(n);
                return n;
            }

            /** Tomcat's read timeout (a body that stopped arriving) or a broken connection. */
            private IOException failed(IOException failure) {
                boolean timedOut = false;
                for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                    timedOut |= cause instanceof SocketTimeoutException;
                }
                refusal = timedOut ? HttpStatus.REQUEST_TIMEOUT : HttpStatus.BAD_REQUEST;
                return failure;
            }

            private void count(int n) throws IOException {
                if (n > 0) {
                    read += n;
                    if (read > limit) {
                        refusal = HttpStatus.PAYLOAD_TOO_LARGE;
                        throw new IOException("the request body is larger than " + limit + " bytes");
                    }
                }
                if (n >= 0 && System.nanoTime() - deadline > 0 && !in.isFinished()) {
                    refusal = HttpStatus.REQUEST_TIMEOUT;
                    throw new IOException("the request body is arriving too slowly");
                }
            }

            @Override
            public boolean isFinished() {
                return in.isFinished();
            }

            @Override
            public boolean isReady() {
                return in.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
            }
        }
    }

    /**
     * The response as the app writes it, until the body is refused: from then on what the app writes (its own
     * account of the broken body) is dropped, so that the response is still uncommitted when this filter answers.
     */
    private static final class SilencedOnRefusal extends HttpServletResponseWrapper {
        private final Bounded request;
        private ServletOutputStream stream;
        private PrintWriter writer;

        SilencedOnRefusal(HttpServletResponse response, Bounded request) {
            super(response);
            this.request = request;
        }

        private boolean silenced() {
            return request.refusal != null;
        }

        @Override
        public synchronized ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                ServletOutputStream out = super.getOutputStream();
                stream = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        if (!silenced()) {
                            out.write(b);
                        }
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (!silenced()) {
                            out.write(b, off, len);
                        }
                    }

                    @Override
                    public void flush() throws IOException {
                        if (!silenced()) {
                            out.flush();
                        }
                    }

                    @Override
                    public boolean isReady() {
                        return out.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        out.setWriteListener(listener);
                    }
                };
            }
            return stream;
        }

        @Override
        public synchronized PrintWriter getWriter() throws IOException {
            if (writer == null) {
                PrintWriter out = super.getWriter();
                writer = new PrintWriter(new Writer() {
                    @Override
                    public void write(char[] chars, int off, int len) {
                        if (!silenced()) {
                            out.write(chars, off, len);
                        }
                    }

                    @Override
                    public void flush() {
                        if (!silenced()) {
                            out.flush();
                        }
                    }

                    @Override
                    public void close() {
                        if (!silenced()) {
                            out.close();
                        }
                    }
                });
            }
            return writer;
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!silenced()) {
                super.flushBuffer();
            }
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            if (!silenced()) {
                super.sendError(status, message);
            }
        }

        @Override
        public void sendError(int status) throws IOException {
            if (!silenced()) {
                super.sendError(status);
            }
        }
    }
}
