package org.callcentre.app.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * Where operations put the audio of restored call recordings, as a plain HTTP server: a test puts a file at a path
 * under {@link #BASE_PATH}, and the app fetches it from there once a restore task names it. Every request it gets is
 * recorded, so a test can check what the app did and did not fetch.
 */
public final class RestoreStore implements AutoCloseable {

    public static final String BASE_PATH = "/restored/";

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();

    private RestoreStore(HttpServer server) {
        this.server = server;
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            requested.add(exchange.getRequestMethod() + " " + path);
            byte[] file = files.get(path);
            if (file == null || !"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "audio/x-wav");
                exchange.sendResponseHeaders(200, file.length);
                exchange.getResponseBody().write(file);
            }
            exchange.close();
        });
        server.start();
    }

    public static RestoreStore start() {
        try {
            return new RestoreStore(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL restored locations must be under ({@code app.recording.restore-base-url}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + BASE_PATH;
    }

    /** Puts a file at {@code name} under the base; answers its URL. */
    public String put(String name, byte[] content) {
        files.put(BASE_PATH + name, content.clone());
        return baseUrl() + name;
    }

    /** Every request so far, as "METHOD path". */
    public List<String> requests() {
        return List.copyOf(requested);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
