package nl.betrokken.node.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver (packages {@code chromium} and {@code chromium-driver};
 * {@code .ci/run} installs them). Selenium Manager is kept offline: it never downloads a browser or a driver. The
 * flags keep Chromium from calling out to the network, which this machine refuses, and let it run as root.
 * Fails, never skips, when the browser or its driver is missing.
 */
public final class Chromium {

    static final Path BROWSER = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /** A new headless browser with a fresh profile, JavaScript on or off, at 1280 x 900. */
    public static ChromeDriver start(boolean javascript) {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver at " + BROWSER
                    + " and " + DRIVER + " (apt-get install chromium chromium-driver; .ci/run installs them)");
        }
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=1280,900", "--lang=nl");
        if (!javascript) {
            options.setExperimentalOption("prefs",
                    java.util.Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
