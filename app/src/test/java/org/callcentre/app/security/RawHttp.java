package org.callcentre.app.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket, for what {@code java.net.http} cannot do: choose the local address
 * (any of 127.0.0.0/8 is this machine), declare a body it never sends, or send a body a byte at a time.
 */
final class RawHttp implements AutoCloseable {

    /** What came back, and how long after the request was sent. */
    record Response(int status, Map<String, String> headers, String body, Duration after) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final PushbackInputStream in;
    private long sentAt;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new PushbackInputStream(socket.getInputStream());
    }

    static RawHttp connect(String localAddress, int port) {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the request line and headers ({@code Host} and the blank line are added), then {@code body}. */
    RawHttp send(String method, String path, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        try {
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        sentAt = System.nanoTime();
        return this;
    }

    /** Sends one more byte of the body; false once the server has closed the connection. */
    boolean sendByte() {
        try {
            out.write('x');
            out.flush();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /** Waits at most {@code wait} for the server to answer or close; true if it did. */
    boolean answersWithin(Duration wait) {
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            int b = in.read();
            if (b >= 0) {
                in.unread(b);
            }
            return true;
        } catch (SocketTimeoutException notYet) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** The time since the request's head was sent. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - sentAt);
    }

    /** The response, which must start arriving within {@code wait}; its body is read to its end. */
    Response response(Duration wait) {
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            String head = readHead();
            Duration after = elapsed();
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                // Repeated headers (Set-Cookie) are kept one per line.
                headers.merge(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip(), (first, next) -> first + "\n" + next);
            }
            return new Response(status, headers, readBody(headers), after);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + wait, e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True if the server closes the connection within {@code wait} (anything it still sends is skipped). */
    boolean closedWithin(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before a response");
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1).strip();
    }

    private String readBody(Map<String, String> headers) throws IOException {
        String length = headers.get("content-length");
        if (length != null) {
            return new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(readLine().split(";")[0].strip(), 16);
                if (size == 0) {
                    readLine();
                    return body.toString(StandardCharsets.UTF_8);
                }
                body.write(in.readNBytes(size));
                readLine();
            }
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
