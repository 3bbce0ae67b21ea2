package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import nl.betrokken.node.NodeHarness;

/**
 * A browser on the node's pages (headless Chromium, {@link Chromium}), with the checks every page gets:
 * {@link #check(String)} asserts the page's basic shape (lang, one h1 that matches the title, a skip link to main),
 * that no other page has its title, runs axe-core (WCAG 2.0 and 2.1, A and AA) and fails naming each violation's rule
 * and selectors, and writes a screenshot of the 1280 x 900 viewport to {@code docs/screenshots/<prefix><name>.png}.
 * With JavaScript off, axe cannot run: the same pages are checked with JavaScript on by the other tests.
 * {@link PortaalBrowser} (the portal) and {@link WerkplekBrowser} (the werkplek) add their sign-in.
 */
public abstract class PaginaBrowser implements AutoCloseable {

    /** Every title seen in this test run, with the page name it belongs to: a title belongs to one page. */
    private static final Map<String, String> TITLES = new ConcurrentHashMap<>();
    private static final Path REPOSITORY = repository();
    private static final String AXE = axe();

    private final ChromeDriver driver;
    private final boolean javascript;
    private final String base;
    private final String suffix;
    private final String shots;

    /** {@code suffix}: what every title ends with; {@code shots}: what every screenshot's name begins with. */
    protected PaginaBrowser(int port, boolean javascript, String suffix, String shots) {
        this.suffix = suffix;
        this.shots = shots;
        this.driver = Chromium.start(javascript);
        this.javascript = javascript;
        this.base = "http://127.0.0.1:" + port;
        driver.manage().window().setSize(new Dimension(1280, 900));
        // The viewport itself 1280 x 900, whatever the window's frame takes.
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** The node's address, {@code http://127.0.0.1:<port>}. */
    public String base() {
        return base;
    }

    public void open(String path) {
        driver.get(base + path);
    }

    public String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    public String title() {
        return driver.getTitle();
    }

    public String h1() {
        return driver.findElement(By.tagName("h1")).getText();
    }

    public String text() {
        return driver.findElement(By.tagName("main")).getText();
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Activates the link or button whose visible text is {@code text}. */
    public void click(String text) {
        List<WebElement> hits = driver.findElements(By.xpath("//a[normalize-space(.)='" + text + "'] | //button[normalize-space(.)='"
                + text + "']"));
        if (hits.isEmpty()) {
            fail("no link or button '" + text + "' on " + path() + ":\n" + text());
        }
        // With the keyboard, as many people do (and so independent of where the element is on the screen).
        WebElement before = find("html");
        try {
            hits.get(0).sendKeys(Keys.ENTER);
        } catch (WebDriverException navigatedWhileSending) {
            // The new page replaced the element while the driver still looked at it; the wait below tells.
        }
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> gone(before));
    }

    /** Whether {@code element}'s page was replaced (the driver says so in two ways). */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            return String.valueOf(e.getMessage()).contains("does not belong to the document");
        }
    }

    /**
     * The checks every page and error state gets, then a screenshot named {@code name}: the title is the h1's text
     * (with "Fout: " before it when the page shows errors) and no other page's, lang nl with the theme, a skip link to
     * main, no axe violation.
     */
    public void check(String name) {
        check(name, name);
    }

    /**
     * The same for a state of page {@code page} (an error state, an empty list): titles are unique per page, the
     * screenshot is named {@code shot}.
     */
    public void check(String page, String shot) {
        String name = page;
        String title = title();
        List<WebElement> h1 = all("h1");
        assertEquals(1, h1.size(), name + ": one h1");
        boolean error = !all("[data-foutsamenvatting]").isEmpty();
        assertEquals((error ? "Fout: " : "") + h1.get(0).getText() + suffix, title, name + ": title and h1 match");
        String earlier = TITLES.putIfAbsent(title, name);
        if (earlier != null && !earlier.equals(name)) {
            fail("pages " + earlier + " and " + name + " have the same title: " + title);
        }
        WebElement html = find("html");
        assertEquals("nl", html.getAttribute("lang"));
        assertTrue(html.getAttribute("class").contains("voorbeeld-theme"), name + ": the theme");
        assertEquals("#inhoud", find("a.utrecht-skip-link").getDomAttribute("href"), name + ": skip link to main");
        assertEquals("main", find("#inhoud").getTagName());
        if (javascript) {
            axe(shot);
        }
        screenshot(shots + shot);
    }

    /** Runs axe-core on the page: WCAG 2.0 and 2.1, levels A and AA; fails naming every violation. */
    public void axe(String name) {
        JavascriptExecutor js = driver;
        js.executeScript(AXE);
        Object result = js.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
                + ".then(function (r) { done(JSON.stringify(r.violations)); })"
                + ".catch(function (e) { done('axe failed: ' + e); });");
        String json = String.valueOf(result);
        if (json.startsWith("axe failed")) {
            fail(name + ": " + json);
        }
        try {
            JsonNode violations = NodeHarness.JSON.readTree(json);
            if (!violations.isEmpty()) {
                StringBuilder out = new StringBuilder(name + ": axe-core found WCAG violations:");
                for (JsonNode v : violations) {
                    out.append("\n- ").append(v.get("id").asText()).append(" (").append(v.get("impact").asText())
                            .append("): ").append(v.get("help").asText());
                    for (JsonNode n : v.get("nodes")) {
                        out.append("\n    ").append(n.get("target").toString());
                    }
                }
                fail(out.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the viewport to {@code docs/screenshots/<name>.png}. */
    public void screenshot(String name) {
        try {
            Path dir = REPOSITORY.resolve("docs/screenshots");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/node.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/node.md above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private static String axe() {
        Path file = REPOSITORY.resolve("node/node_modules/axe-core/axe.min.js");
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("axe-core is installed by Maven's npm ci (node/package.json): " + file, e);
        }
    }
}
