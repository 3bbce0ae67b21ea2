package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A staff member's browser on the werkplek ({@link PaginaBrowser}: {@code open}, {@code click}, {@code find},
 * {@code text}, {@code h1}, and {@code check(name)} = the page's shape + axe-core + a screenshot
 * {@code docs/screenshots/werkplek-<name>.png}), with the dev sign-in.
 */
public final class WerkplekBrowser extends PaginaBrowser {

    /** The dev users' password (account/DevUsers). */
    public static final String PASSWORD = "demo";

    public WerkplekBrowser(int port, boolean javascript) {
        super(port, javascript, " - Verwijsindex werkplek", "werkplek-");
    }

    /**
     * Signs {@code username} in through the werkplek's sign-in page and the dev sign-in page (password
     * {@value #PASSWORD}), as a person would; the browser is then at the start of the account's role.
     */
    public void signIn(String username) {
        open("/werkplek/inloggen");
        signInHere(username);
    }

    /**
     * Opens {@code path} without a session, signs {@code username} in from the sign-in page it leads to, and is back
     * at {@code path}.
     */
    public void signInAt(String path, String username) {
        open(path);
        signInHere(username);
    }

    private void signInHere(String username) {
        click("Inloggen in de testomgeving");
        find("#gebruikersnaam").sendKeys(username);
        find("#wachtwoord").sendKeys(PASSWORD);
        click("Inloggen");
        assertFalse(path().startsWith("/dev/werkplek/inloggen"), () -> "signed in, not " + text());
    }

    /**
     * From the sign-in page, signs in at the test OpenID provider (account/OidcProviderProcess): the "organisatie-account"
     * link, the provider's login page with {@code login} (any password) and its consent page; then waits until the
     * browser is back at this node.
     */
    public void signInAtProvider(String login) {
        click("Inloggen met uw organisatie-account");
        WebDriverWait wait = new WebDriverWait(driver(), Duration.ofSeconds(20));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[name=prompt][value=login]")));
        driver().findElement(By.name("login")).sendKeys(login);
        driver().findElement(By.name("password")).sendKeys("wat-dan-ook");
        driver().findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> d.getCurrentUrl().startsWith(base())
                || !d.findElements(By.cssSelector("input[name=prompt][value=consent]")).isEmpty());
        if (!driver().getCurrentUrl().startsWith(base())) {
            driver().findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(d -> d.getCurrentUrl().startsWith(base()));
        }
    }

    /** Signs out with the header's button. */
    public void signOut() {
        click("Uitloggen");
    }
}
