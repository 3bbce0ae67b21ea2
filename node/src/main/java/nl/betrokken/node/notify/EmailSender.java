package nl.betrokken.node.notify;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Sends one e-mail through the configured SMTP server (Jakarta Mail) and says how it went. With a synchronous SMTP
 * server a bounce is the permanent (5xx) reply to the recipient or the message: that is a final failure. A 4xx reply,
 * a server that does not answer or a time-out is a failure for now, tried again later.
 */
@Singleton
class EmailSender {

    private static final String TIMEOUT_MILLIS = "10000";
    private static final Pattern ADDRESS = Pattern.compile("<[^>]*>|[^\\s<>]+@[^\\s<>]+");

    private final NotifyConfiguration config;
    private final Session session;

    EmailSender(NotifyConfiguration config) {
        this.config = config;
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", config.smtpHost());
        p.put("mail.smtp.port", String.valueOf(config.smtpPort()));
        p.put("mail.smtp.connectiontimeout", TIMEOUT_MILLIS);
        p.put("mail.smtp.timeout", TIMEOUT_MILLIS);
        p.put("mail.smtp.writetimeout", TIMEOUT_MILLIS);
        p.put("mail.smtp.auth", String.valueOf(authenticated()));
        if (config.smtpStarttls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        this.session = Session.getInstance(p);
    }

    private boolean authenticated() {
        return config.smtpUsername() != null && !config.smtpUsername().isBlank();
    }

    /** Sends {@code text} to {@code address}. */
    Attempt send(String address, MessageText text) {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(config.from(), true));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(address, true));
            message.setSubject(text.subject(), StandardCharsets.UTF_8.name());
            message.setText(text.body(), StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            if (authenticated()) {
                Transport.send(message, config.smtpUsername(), config.smtpPassword());
            } else {
                Transport.send(message);
            }
            return Attempt.sent(address);
        } catch (AddressException e) {
            return Attempt.permanentFailure("the e-mail address is not valid", address);
        } catch (MessagingException e) {
            return classify(e, address);
        }
    }

    /** A 5xx SMTP reply anywhere in the chain is final; anything else is tried again. */
    static Attempt classify(MessagingException failure, String address) {
        for (Throwable t = failure; t != null; t = next(t)) {
            int code = returnCode(t);
            if (code >= 500) {
                return Attempt.permanentFailure(reply(code, t.getMessage()), address);
            }
            if (code >= 400) {
                return Attempt.transientFailure(reply(code, t.getMessage()), address);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return Attempt.transientFailure("the SMTP server did not answer", address);
            }
            if (t instanceof SocketTimeoutException) {
                return Attempt.transientFailure("the SMTP server timed out", address);
            }
        }
        return Attempt.transientFailure("SMTP: " + failure.getClass().getSimpleName(), address);
    }

    private static int returnCode(Throwable t) {
        if (t instanceof SMTPAddressFailedException a) {
            return a.getReturnCode();
        }
        if (t instanceof SMTPSendFailedException s) {
            return s.getReturnCode();
        }
        if (t instanceof SMTPSenderFailedException s) {
            return s.getReturnCode();
        }
        return -1;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t) {
            return m.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    /** "SMTP 550: 5.1.1 User unknown", with any address in the server's text left out and control characters removed. */
    static String reply(int code, String message) {
        String text = message == null ? "" : message.strip();
        if (text.startsWith(String.valueOf(code))) {
            text = text.substring(3).strip();
        }
        text = ADDRESS.matcher(text).replaceAll("<address>").replaceAll("\\p{Cntrl}", " ").strip();
        return Notifications.shorten("SMTP " + code + (text.isEmpty() ? "" : ": " + text));
    }
}
