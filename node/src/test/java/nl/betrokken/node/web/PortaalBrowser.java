package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A person's browser on the portal ({@link PaginaBrowser}), with the portal's sign-in. */
public final class PortaalBrowser extends PaginaBrowser {

    public PortaalBrowser(int port, boolean javascript) {
        super(port, javascript, " - Verwijsindex voor ouders en jongeren", "");
    }

    /**
     * Signs in through the OpenID provider (the "Inloggen met DigiD" link): its login page with {@code login} (any
     * password), its consent page, and back at the node's overview.
     */
    public void signInAtProvider(String login) {
        open("/portaal/inloggen");
        click("Inloggen met DigiD");
        WebDriverWait wait = new WebDriverWait(driver(), Duration.ofSeconds(20));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[name=prompt][value=login]")));
        driver().findElement(By.name("login")).sendKeys(login);
        driver().findElement(By.name("password")).sendKeys("wat-dan-ook");
        driver().findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[name=prompt][value=consent]")));
        driver().findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/portaal/overzicht"));
        assertEquals("/portaal/overzicht", path(), () -> "signed in: the overview, not " + driver().getPageSource());
    }

    /** Signs {@code bsn} in through the dev identity provider's page, as a person would type it. */
    public void signIn(String bsn) {
        open("/portaal/inloggen");
        click("Inloggen in de testomgeving");
        find("#bsn").sendKeys(bsn);
        click("Inloggen");
        assertEquals("/portaal/overzicht", path(), () -> "signed in: the overview, not " + driver().getPageSource());
    }
}
