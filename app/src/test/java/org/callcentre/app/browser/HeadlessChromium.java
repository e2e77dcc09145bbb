package org.callcentre.app.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Debian's chromedriver, one fresh browser (and profile) per test. Register
 * it as a static {@code @RegisterExtension} field.
 *
 * <ul>
 * <li>Nothing is downloaded: the driver and browser paths are explicit, so Selenium Manager never runs (and is
 * told to stay offline should it ever be asked), and the browser's own background networking is off (the
 * machine has no outside network; Chromium otherwise stalls on refused connections).</li>
 * <li>Without {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} each test is skipped (a JUnit
 * assumption, with the reason) before its Spring context is even looked up, unless {@value #REQUIRE_BROWSER}=1
 * (CI, after {@code .ci/install-browser.sh}): then each fails.</li>
 * <li>Screenshots go to {@code target/browser-screenshots/}: where a test asks, and with the page's HTML when a
 * test fails.</li>
 * </ul>
 */
public final class HeadlessChromium implements TestInstancePreConstructCallback, BeforeEachCallback,
        AfterTestExecutionCallback, AfterEachCallback {

    /** Debian's Chromium; the system property {@code callcentre.browser.chromium} points elsewhere. */
    public static final Path CHROMIUM = Path.of(System.getProperty("callcentre.browser.chromium", "/usr/bin/chromium"));
    /** Debian's chromedriver; the system property {@code callcentre.browser.chromedriver} points elsewhere. */
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("callcentre.browser.chromedriver",
            "/usr/bin/chromedriver"));
    public static final String REQUIRE_BROWSER = "CALLCENTRE_REQUIRE_BROWSER";
    public static final Path SCREENSHOTS = Path.of("target", "browser-screenshots").toAbsolutePath();
    /** How long a page may take to show what a test waits for. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * Selenium 4.31 ships CDP bindings up to v135 and warns on every start of a newer Chromium; these tests use
     * WebDriver only, never CDP. Strong references: java.util.logging keeps its loggers weakly.
     */
    private static final List<Logger> QUIETENED = List.of(
            Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    static {
        QUIETENED.forEach(logger -> logger.setLevel(Level.SEVERE));
        // Selenium passes SE_* system properties to Selenium Manager as environment variables. With explicit
        // paths it is never started; should it be, it must neither download a browser nor a driver.
        if (System.getProperty("SE_OFFLINE") == null) {
            System.setProperty("SE_OFFLINE", "true");
        }
        if (System.getProperty("SE_AVOID_BROWSER_DOWNLOAD") == null) {
            System.setProperty("SE_AVOID_BROWSER_DOWNLOAD", "true");
        }
    }

    private ChromeDriverService service;
    private ChromeDriver driver;
    private Path profile;
    private String testName;
    private int shots;

    /**
     * Before the test instance (and so the Spring context) is made: a test that cannot run is reported skipped,
     * with the reason, at no cost.
     */
    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        requireBrowser();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        testName = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
        shots = 0;
        Files.createDirectories(SCREENSHOTS);
        // Only this run's pictures: drop what an earlier run of the same test left.
        try (Stream<Path> old = Files.list(SCREENSHOTS)) {
            for (Path file : old.filter(f -> f.getFileName().toString().startsWith(testName + "-")).toList()) {
                Files.deleteIfExists(file);
            }
        }
        profile = Files.createTempDirectory("callcentre-chromium-");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(SCREENSHOTS.resolve(testName + "-chromedriver.log").toFile())
                .build();
        driver = new ChromeDriver(service, options(profile));
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && driver != null) {
            try {
                Path png = screenshot("FAILED");
                Path html = png.resolveSibling(png.getFileName().toString().replace(".png", ".html"));
                Files.writeString(html, "<!-- " + driver.getCurrentUrl() + " -->\n" + driver.getPageSource(),
                        StandardCharsets.UTF_8);
                System.err.println("Browser state at the failure of " + testName + ": " + png + " and " + html);
            } catch (RuntimeException | IOException e) {
                System.err.println("Could not capture the browser after " + testName + " failed: " + e);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            driver = null;
            if (service != null) {
                service.stop();
                service = null;
            }
            deleteRecursively(profile);
            profile = null;
        }
    }

    /** Skips (or, with {@value #REQUIRE_BROWSER}=1, fails) when Chromium or chromedriver is not installed. */
    public static void requireBrowser() {
        List<String> missing = new ArrayList<>();
        for (Path tool : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(tool)) {
                missing.add(tool.toString());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "Browser tests need Debian's Chromium and chromedriver, missing: " + String.join(", ", missing)
                + " (install them with .ci/install-browser.sh)";
        if ("1".equals(System.getenv(REQUIRE_BROWSER))) {
            throw new AssertionError(message + "; " + REQUIRE_BROWSER + "=1, so this fails instead of skipping");
        }
        Assumptions.abort(message + "; skipped (set " + REQUIRE_BROWSER + "=1 to make this a failure)");
    }

    static ChromeOptions options(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-default-apps",
                "--disable-features=Translate,OptimizationHints,MediaRouter,PasswordLeakDetection",
                "--password-store=basic",
                "--lang=en-GB",
                "--window-size=1400,1000",
                "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of(
                "intl.accept_languages", "en-GB,en",
                "credentials_enable_service", false,
                "profile.password_manager_enabled", false));
        return options;
    }

    public WebDriver driver() {
        if (driver == null) {
            throw new IllegalStateException("no browser: register HeadlessChromium as a static @RegisterExtension");
        }
        return driver;
    }

    /** Waits up to {@link #WAIT}, polling every 100 ms, tolerating elements AngularJS re-renders meanwhile. */
    public <T> T await(String what, ExpectedCondition<T> condition) {
        WebDriverWait wait = new WebDriverWait(driver(), WAIT, Duration.ofMillis(100));
        wait.withMessage(() -> what + " (page " + driver.getCurrentUrl() + ")");
        wait.ignoring(StaleElementReferenceException.class);
        return wait.until(condition);
    }

    /** Waits until an element matching the locator is displayed, and returns it. */
    public WebElement awaitVisible(String what, By locator) {
        return await(what, d -> d.findElements(locator).stream().filter(WebElement::isDisplayed).findFirst()
                .orElse(null));
    }

    public Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver()).executeScript(javascript, args);
    }

    /** Runs asynchronous JavaScript: the script calls its last argument with the result. */
    public Object scriptAsync(String javascript, Object... args) {
        return ((JavascriptExecutor) driver()).executeAsyncScript(javascript, args);
    }

    /** Saves a screenshot {@code <TestClass>-<test>-<nn>-<label>.png} and returns its path. */
    public Path screenshot(String label) {
        try {
            Path file = SCREENSHOTS.resolve(String.format("%s-%02d-%s.png", testName, ++shots,
                    label.replaceAll("[^A-Za-z0-9_-]+", "-")));
            Files.write(file, ((TakesScreenshot) driver()).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Clicks the element once it is displayed and enabled. */
    public void click(By locator) {
        await("a clickable " + locator, d -> {
            WebElement element = d.findElement(locator);
            return element.isDisplayed() && element.isEnabled() ? element : null;
        }).click();
    }

    /** Types until the field really holds the text (the page may still be moving the focus when typing starts). */
    public void type(By field, String text) {
        await("the field " + field + " holding \"" + text + "\"", d -> {
            WebElement input = d.findElement(field);
            if (text.equals(input.getDomProperty("value"))) {
                return true;
            }
            input.clear();
            input.sendKeys(text);
            return null;
        });
    }

    /** Waits until the element shows exactly this text; with {@code null}, until it shows any. */
    public void awaitText(By locator, String expected) {
        await(locator + " showing " + (expected == null ? "something" : "\"" + expected + "\""), d -> {
            String shown = d.findElement(locator).getText().strip();
            return expected == null ? (shown.isEmpty() ? null : true) : (shown.equals(expected) ? true : null);
        });
    }

    /**
     * A screenshot in target/browser-screenshots and, when the system property {@code docsProperty} names a
     * directory, a copy there as {@code <name>.png}.
     */
    public Path screenshot(String name, String docsProperty) {
        Path png = screenshot(name);
        String docs = System.getProperty(docsProperty);
        if (docs == null || docs.isBlank()) {
            return png;
        }
        try {
            Path directory = Path.of(docs);
            Files.createDirectories(directory);
            Files.copy(png, directory.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resizes the window so that the page (and so a screenshot) is this size. */
    public void viewport(int width, int height) {
        WebDriver page = driver();
        page.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
        long chromeWidth = (Long) script("return window.outerWidth - window.innerWidth;");
        long chromeHeight = (Long) script("return window.outerHeight - window.innerHeight;");
        page.manage().window().setSize(new org.openqa.selenium.Dimension(width + (int) chromeWidth,
                height + (int) chromeHeight));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Chromium's last writes may race the clean-up; a temporary directory left behind does no harm.
            System.err.println("Could not delete the browser profile " + dir + ": " + e);
        }
    }
}
