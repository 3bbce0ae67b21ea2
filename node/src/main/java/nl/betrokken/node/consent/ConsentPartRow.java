package nl.betrokken.node.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A consent part as this node stores it (V15, {@code consent_part}): the part about this node's signal {@code signalId},
 * its needs when asked, each role's answer, and its status. The purpose is sealed with the node's Aead, bound to the
 * consent and column. {@link #toString()} prints no content.
 */
@MappedEntity("consent_part")
record ConsentPartRow(@Id UUID id, UUID consentId, UUID matchId, UUID signalId, String homeNode, String matchType,
                      byte[] purposeSealed, String askingOrganisation, String askingProfessional,
                      @Nullable String counterpartOrganisation, String needs, Instant askedAt, String status,
                      @Nullable String parentAnswer, @Nullable LocalDate parentOn, @Nullable String parentForm,
                      @Nullable String parentBy, @Nullable String youthAnswer, @Nullable LocalDate youthOn,
                      @Nullable String youthForm, @Nullable String youthBy, @Nullable LocalDate validUntil,
                      @Nullable String endedReason, @Nullable Instant endedAt) {

    @Nullable
    String answerOf(String role) {
        return ConsentRules.PARENT.equals(role) ? parentAnswer : youthAnswer;
    }

    ConsentPartRow answered(String role, String answer, LocalDate on, String form, String by,
                            @Nullable LocalDate until) {
        LocalDate valid = until == null ? validUntil : validUntil == null || until.isBefore(validUntil) ? until : validUntil;
        return ConsentRules.PARENT.equals(role)
                ? new ConsentPartRow(id, consentId, matchId, signalId, homeNode, matchType, purposeSealed,
                askingOrganisation, askingProfessional, counterpartOrganisation, needs, askedAt, status, answer, on,
                form, by, youthAnswer, youthOn, youthForm, youthBy, valid, endedReason, endedAt)
                : new ConsentPartRow(id, consentId, matchId, signalId, homeNode, matchType, purposeSealed,
                askingOrganisation, askingProfessional, counterpartOrganisation, needs, askedAt, status, parentAnswer,
                parentOn, parentForm, parentBy, answer, on, form, by, valid, endedReason, endedAt);
    }

    ConsentPartRow withStatus(String newStatus, @Nullable String reason, @Nullable Instant at) {
        return new ConsentPartRow(id, consentId, matchId, signalId, homeNode, matchType, purposeSealed,
                askingOrganisation, askingProfessional, counterpartOrganisation, needs, askedAt, newStatus,
                parentAnswer, parentOn, parentForm, parentBy, youthAnswer, youthOn, youthForm, youthBy, validUntil,
                reason, at);
    }

    ConsentPartRow withNeeds(String newNeeds) {
        return new ConsentPartRow(id, consentId, matchId, signalId, homeNode, matchType, purposeSealed,
                askingOrganisation, askingProfessional, counterpartOrganisation, newNeeds, askedAt, status,
                parentAnswer, parentOn, parentForm, parentBy, youthAnswer, youthOn, youthForm, youthBy, validUntil,
                endedReason, endedAt);
    }

    @Override
    public String toString() {
        return "ConsentPartRow[" + consentId + ", " + status + "]";
    }
}
