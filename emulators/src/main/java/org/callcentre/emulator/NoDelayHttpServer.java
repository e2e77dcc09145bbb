package org.callcentre.emulator;

import java.io.IOException;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * The JDK's HTTP server with TCP_NODELAY on its connections, for both emulators. The JDK server writes a
 * response's headers and body separately; without TCP_NODELAY, Nagle's algorithm and the client's delayed ACK
 * hold the body back by about 40 ms. That is no part of the services emulated: a Twilio REST call of the app's
 * would take 40 ms longer, holding a job thread and the capture's row lock all the while.
 */
public final class NoDelayHttpServer {

    private static final String NODELAY = "sun.net.httpserver.nodelay";

    private NoDelayHttpServer() {
    }

    /**
     * A server bound to {@code address}, not yet started. The JDK reads the setting once, when the JVM's first
     * server is created, so it takes effect only if no server was created before it without the setting; an
     * explicit {@code -Dsun.net.httpserver.nodelay=false} is respected.
     */
    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        return HttpServer.create(address, backlog);
    }
}
