package org.callcentre.app.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The agent console is static files under {@code /console/} (HTML, CSS and JavaScript over the JSON API, in
 * {@code static/console/}); its address is the folder. The Call Center pages (groups and their tickets) are
 * {@code /console/tickets}, over the same session.
 */
@Configuration(proxyBeanMethods = false)
public class ConsolePages implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
        registry.addViewController("/console/tickets").setViewName("forward:/console/tickets.html");
    }
}
