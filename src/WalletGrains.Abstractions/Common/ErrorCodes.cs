namespace WalletGrains.Abstractions.Common;

/// <summary>Every stable error code the service answers with. Clients switch on these, so never rename one.</summary>
public static class ErrorCodes
{
    public const string RequestMalformed = "request.malformed";
    public const string RequestTooLarge = "request.too_large";
    public const string RateLimited = "request.rate_limited";
    public const string PageInvalid = "request.page_invalid";
    public const string Unauthenticated = "auth.unauthenticated";
    public const string Forbidden = "auth.forbidden";
    public const string UserBlocked = "auth.user_blocked";
    public const string ClusterUnavailable = "service.unavailable";
    public const string Internal = "service.internal_error";

    public const string AccountNotFound = "account.not_found";
    public const string AccountNameInvalid = "account.name_invalid";
    public const string AccountPlanInvalid = "account.plan_invalid";
    public const string AccountExists = "account.exists";
    public const string PlanRequired = "account.plan_required";
    public const string WalletsDisabled = "account.wallets_disabled";
    public const string DefaultTeamInvalid = "account.default_team_invalid";

    public const string UserNotFound = "user.not_found";
    public const string UserNameInvalid = "user.name_invalid";
    public const string UserProfileInvalid = "user.profile_invalid";
    public const string UserStatusInvalid = "user.status_invalid";
    public const string UserExists = "user.exists";
    public const string UserEmailInvalid = "user.email_invalid";
    public const string UserAvailabilityInvalid = "user.availability_invalid";
    public const string UserIsLastAdmin = "user.last_admin";

    public const string TeamNotFound = "team.not_found";
    public const string TeamNameInvalid = "team.name_invalid";
    public const string TeamMemberInvalid = "team.member_invalid";
    public const string TeamMemberDuplicated = "team.member_duplicated";
    public const string TeamBusinessHoursInvalid = "team.business_hours_invalid";
    public const string TeamInUse = "team.in_use";
    public const string TeamDistributionInvalid = "team.distribution_invalid";
    public const string TeamExists = "team.exists";

    public const string WalletNotFound = "wallet.not_found";
    public const string WalletExists = "wallet.exists";
    public const string WalletNameInvalid = "wallet.name_invalid";
    public const string WalletNameTaken = "wallet.name_taken";
    public const string WalletTypeInvalid = "wallet.type_invalid";
    public const string WalletTimeLimitInvalid = "wallet.time_limit_invalid";
    public const string WalletTeamsInvalid = "wallet.teams_invalid";
    public const string WalletResponsibleInvalid = "wallet.responsible_invalid";
    public const string WalletCriteriaInvalid = "wallet.criteria_invalid";
    public const string WalletManagerInvalid = "wallet.manager_invalid";
    public const string WalletJourneyInvalid = "wallet.journey_invalid";
    public const string WalletNoUsers = "wallet.team_has_no_users";
    public const string WalletUnavailable = "wallet.unavailable";

    public const string ContactNotFound = "contact.not_found";
    public const string ContactExists = "contact.exists";
    public const string ContactPhoneInvalid = "contact.phone_invalid";
    public const string ContactPhoneTaken = "contact.phone_taken";
    public const string ContactNameInvalid = "contact.name_invalid";
    public const string ContactAttributesInvalid = "contact.attributes_invalid";
    public const string ContactStatusInvalid = "contact.status_invalid";
    public const string ContactRefInvalid = "contact.reference_invalid";
    public const string ContactAlreadyOwned = "contact.already_owned";
    public const string ContactNotMember = "contact.not_member";
    public const string OwnerNotInWallet = "contact.owner_not_in_wallet";
    public const string OwnerNotAllowed = "contact.owner_not_allowed";
    public const string BatchTooLarge = "request.batch_too_large";
    public const string ClassificationInvalid = "conversation.classification_invalid";

    public const string WebhookNotFound = "webhook.not_found";
    public const string WebhookUrlInvalid = "webhook.url_invalid";
    public const string WebhookUrlNotAllowed = "webhook.url_not_allowed";
    public const string WebhookEventTypesInvalid = "webhook.event_types_invalid";
    public const string WebhookSecretInvalid = "webhook.secret_invalid";
    public const string WebhookDescriptionInvalid = "webhook.description_invalid";
    public const string WebhookLimitReached = "webhook.limit_reached";
    public const string ImportNotFound = "import.not_found";
    public const string ImportEmpty = "import.empty";
    public const string ImportTooManyRows = "import.too_many_rows";
    public const string ImportColumnsInvalid = "import.columns_invalid";
    public const string ImportCsvMalformed = "import.csv_malformed";
    public const string UnsupportedMediaType = "request.unsupported_media_type";
    public const string ImportRowMalformed = "import.row_malformed";
    public const string ImportRowDuplicated = "import.row_duplicated";
    public const string ImportWalletUnknown = "import.wallet_unknown";
    public const string ImportOwnerUnknown = "import.owner_unknown";
    public const string ImportValueInvalid = "import.value_invalid";
}
