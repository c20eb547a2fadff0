package io.poolgate.observe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.fail;

import io.poolgate.EmbeddedServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page at {@code /}, driven in Debian's headless Chromium: it shows every pool with the
 * numbers of the status API, draws its charts from live polls, and says so when the API is gone.
 */
@QuarkusTest
@WithTestResource(EmbeddedServers.class)
class StatusPageTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "status-page.png");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** Pixels of the CSS colour {@code --<arguments[2]>} in the chart {@code arguments[1]} of pool {@code arguments[0]}. */
    private static final String SERIES_PIXELS = """
            const canvas = document.querySelector(`[data-pool="${arguments[0]}"] canvas[data-chart="${arguments[1]}"]`);
            const probe = document.createElement('canvas').getContext('2d');
            probe.fillStyle = getComputedStyle(canvas).getPropertyValue('--' + arguments[2]).trim();
            const [r, g, b] = [1, 3, 5].map(i => parseInt(probe.fillStyle.substr(i, 2), 16));
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let count = 0;
            for (let i = 0; i < pixels.length; i += 4) {
              if (Math.abs(pixels[i] - r) < 8 && Math.abs(pixels[i + 1] - g) < 8 && Math.abs(pixels[i + 2] - b) < 8
                  && pixels[i + 3] > 240) {
                count++;
              }
            }
            return count;
            """;

    private static ChromeDriver browser;
    private static Path profile;

    @TestHTTPResource("/")
    URL page;

    // one browser for the class, started by the first test; checked before each test so that a machine
    // without Chromium reports every test as skipped (or, on CI, failed) with the reason
    @BeforeEach
    void startBrowser() throws IOException {
        requireBrowser();
        if (browser != null) {
            return;
        }
        profile = Files.createTempDirectory("poolgate-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // the background-networking flags keep Chromium from calling home on a closed network
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,800", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        // an explicit driver: Selenium Manager never looks for (or downloads) one
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        // --window-size includes the (invisible) browser frame: make the page itself 1280×800
        long frame = (Long) browser.executeScript("return window.outerHeight - window.innerHeight");
        browser.manage().window().setSize(new Dimension(1280, 800 + (int) frame));
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
            profile = null;
        }
    }

    @Test
    void showsEveryPoolWithTheApiNumbersAndDrawsLiveCharts() throws IOException {
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).body("{\"sql\": \"SELECT 1\"}")
                    .post("/api/v1/pools/main/query").then().statusCode(200);
            given().contentType(ContentType.JSON).body("[\"PING\"]")
                    .post("/api/v1/pools/cache/command").then().statusCode(200).body("result", equalTo("PONG"));
        }

        browser.get(page.toString());
        waitFor("two polls of the status API", driver -> polls() >= 2);

        JsonPath status = given().get("/api/v1/pools").then().statusCode(200).extract().jsonPath();
        for (String pool : List.of("main", "cache")) {
            String entry = "pools.find { it.name == '" + pool + "' }";
            showsTheApiNumbers(pool, status, entry);
            drawsTheCharts(pool, status, entry);
        }

        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));
        assertThat(browser.findElement(By.id("error-banner")).isDisplayed(), equalTo(false));
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
        assertThat("errors in the browser console", errors, empty());
    }

    @Test
    void marksTheScalersDecisionsOnTheConnectionsChart() {
        // a manual scale up: the scaler brings the pool back down, one decision at a time
        given().contentType(ContentType.JSON).body("{\"target\": 4}").post("/api/v1/pools/scaled/scale").then()
                .statusCode(200);
        browser.get(page.toString());
        waitFor("the scaler's decisions marked on the 'scaled' chart", driver -> {
            String marks = chart("scaled", "connections").getDomAttribute("data-marks");
            return marks != null && Integer.parseInt(marks) >= 1;
        });
        int decisions = given().get("/api/v1/pools/scaled").then().extract().jsonPath()
                .getList("autoscaling.decisions").size();
        assertThat(Integer.parseInt(chart("scaled", "connections").getDomAttribute("data-marks")) <= decisions,
                equalTo(true));
    }

    @Test
    void showsAnErrorBannerWhenTheApiIsUnreachable() {
        browser.get(page + "?api=/nonexistent");
        waitFor("the error banner", driver -> driver.findElement(By.id("error-banner")).isDisplayed());

        assertThat(browser.findElement(By.id("error-banner")).getText(),
                containsString("Cannot reach the status API (GET /nonexistent): HTTP 404"));
        assertThat(browser.findElement(By.id("pools-placeholder")).getText(),
                equalTo("No data: the status API is unreachable."));
    }

    private static void showsTheApiNumbers(String pool, JsonPath status, String entry) {
        for (String size : List.of("total", "target", "min", "max")) {
            String expected = String.valueOf(status.getInt(entry + ".sizes." + size));
            waitFor("pool '" + pool + "' showing " + size + " = " + expected, driver -> expected.equals(cell(pool, size)));
        }
        assertThat(cell(pool, "kind"), equalTo(status.getString(entry + ".kind")));
        String node = status.getString(entry + ".nodes[0].name");
        String nodeRow = "#pool-" + pool + " tr[data-node='" + node + "']";
        assertThat(browser.findElement(By.cssSelector(nodeRow + " th")).getText(), equalTo(node));
        Boolean healthy = status.get(entry + ".nodes[0].healthy");
        assertThat(browser.findElement(By.cssSelector(nodeRow + " .health")).getText(),
                equalTo(healthy == null ? "unknown" : healthy ? "healthy" : "unhealthy"));
        String circuit = status.getString(entry + ".nodes[0].circuit.state");
        assertThat(browser.findElement(By.cssSelector(nodeRow + " .circuit")).getText(),
                equalTo(circuit.replace('_', ' ')));
    }

    private static void drawsTheCharts(String pool, JsonPath status, String entry) {
        waitFor("pool '" + pool + "' drawing its idle line over two polls", driver -> {
            String points = chart(pool, "connections").getDomAttribute("data-points");
            return points != null && Integer.parseInt(points) >= 2
                    && ((Number) browser.executeScript(SERIES_PIXELS, pool, "connections", "idle")).intValue() >= 10;
        });
        // acquire latency needs two polls of acquireWait; a gateway without it says so
        boolean reportsWait = status.get(entry + ".acquireWait") != null;
        waitFor("pool '" + pool + "' " + (reportsWait ? "charting" : "not charting") + " its acquire latency", driver -> {
            String label = chart(pool, "latency").getDomAttribute("aria-label");
            return reportsWait ? label.contains("latest acquire latency") : label.equals("Acquire latency: unknown");
        });
    }

    private static WebElement chart(String pool, String chart) {
        return browser.findElement(By.cssSelector("#pool-" + pool + " canvas[data-chart='" + chart + "']"));
    }

    private static void requireBrowser() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String missing = "the status page test needs " + CHROMIUM + " and " + CHROMEDRIVER
                + " (Debian packages chromium and chromium-driver)";
        if ("true".equals(System.getenv("CI"))) {
            fail(missing + ": .ci/run should install them with apt-get install -y chromium chromium-driver");
        }
        Assumptions.abort(missing);
    }

    private static <T> void waitFor(String what, Function<WebDriver, T> condition) {
        new WebDriverWait(browser, PATIENCE).withMessage("waiting for " + what).until(condition);
    }

    private static long polls() {
        return Long.parseLong(browser.findElement(By.tagName("body")).getDomAttribute("data-polls"));
    }

    private static String cell(String pool, String field) {
        return browser.findElement(By.cssSelector("tr[data-pool='" + pool + "'] [data-field='" + field + "']")).getText();
    }
}
