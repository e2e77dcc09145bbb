package org.callcentre.emulator.twilio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.callcentre.emulator.NoDelayHttpServer;

/** A tiny stand-in for the application: serves TwiML on paths and records every request it gets. */
final class FakeApp implements AutoCloseable {

    /** One request as the application received it. */
    record Req(String method, String path, String url, Map<String, String> params, String signature,
            String contentType) {
        String param(String name) {
            return params.get(name);
        }

        /** The POST parameters that are part of the signature (none for GET: they are in the URL). */
        Map<String, String> signedParams() {
            return "GET".equals(method) ? Map.of() : params;
        }
    }

    /** What the application answers. */
    record Reply(int status, String body) {
        static Reply twiml(String xml) {
            return new Reply(200, xml);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(32);
    private final String base;
    private final Map<String, Function<Req, Reply>> routes = new ConcurrentHashMap<>();
    private final Map<String, LinkedBlockingQueue<Req>> received = new ConcurrentHashMap<>();
    private final Map<String, List<Req>> all = new ConcurrentHashMap<>();

    FakeApp() throws IOException {
        server = NoDelayHttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String url(String path) {
        return base + path;
    }

    FakeApp twiml(String path, String xml) {
        routes.put(path, r -> Reply.twiml(xml));
        return this;
    }

    FakeApp route(String path, Function<Req, Reply> handler) {
        routes.put(path, handler);
        return this;
    }

    /** Waits for the next request to the path. */
    Req take(String path, Duration timeout) {
        try {
            Req r = queue(path).poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no request to " + path + " within " + timeout + "; requests so far: " + all.keySet());
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every request to the path so far. */
    List<Req> requests(String path) {
        List<Req> list = all.get(path);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    private LinkedBlockingQueue<Req> queue(String path) {
        return received.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            String url = base + path + (query == null ? "" : "?" + query);
            Map<String, String> params = parse("GET".equals(ex.getRequestMethod()) ? query : body);
            Req req = new Req(ex.getRequestMethod(), path, url, params,
                    ex.getRequestHeaders().getFirst("X-Twilio-Signature"),
                    ex.getRequestHeaders().getFirst("Content-Type"));
            List<Req> list = all.computeIfAbsent(path, p -> new ArrayList<>());
            synchronized (list) {
                list.add(req);
            }
            Function<Req, Reply> handler = routes.get(path);
            Reply reply = handler == null ? new Reply(404, "not found") : handler.apply(req);
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", reply.status() == 200 ? "application/xml" : "text/plain");
            ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            ex.getResponseBody().write(bytes);
            queue(path).add(req);
        }
    }

    static Map<String, String> parse(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return out;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
