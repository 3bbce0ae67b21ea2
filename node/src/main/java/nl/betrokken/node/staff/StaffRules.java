package nl.betrokken.node.staff;

/** The formats an account's fields must have. */
public final class StaffRules {

    /** 3 to 100 characters; the same name the identity provider gives as {@code preferred_username}. */
    public static final String USERNAME = "[A-Za-z0-9._@-]{3,100}";
    /** One @, something before it, a dot in the domain, no spaces. Deliverability is the notifications' job. */
    public static final String EMAIL = "[^@\\s]+@[^@\\s]+\\.[^@\\s.]{2,}";
    /** Digits with spaces, dashes and brackets, optionally starting with +; 6 to 20 digits in all. */
    public static final String PHONE = "\\+?(?:[ ()-]*[0-9]){6,20}[ ()-]*";

    private StaffRules() {
    }
}
