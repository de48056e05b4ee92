"""Build the `openapi_mix` held-out retrieval catalog from real public OpenAPI specs.

The raw specs are NOT kept in the repository (several are megabytes). Download them
(see SPECS: repository, path and commit of each) into a folder and run

    python benchmarks/data/foreign_retrieval/build_openapi.py /path/to/specs

It writes openapi_mix/tools.json (one function per chosen operation) and prints
the sha256 of every spec read, which the manifest records. The operations kept
per API are listed by hand below (a spread of create/list/get/update/cancel
operations per API, so that near-miss tools exist within and across APIs).
Written by hand for toolrag's held-out evaluation; never train or tune on it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent

# prefix, local file, repository, path in repository, commit, operationIds kept
SPECS = [
    (
        "asana",
        "asana.yaml",
        "Asana/openapi",
        "defs/asana_oas.yaml",
        "fc9f8dcf224efa8e06bfc955d91dd95aac7a398d",
        "createTask getTask updateTask deleteTask getTasksForProject searchTasksForWorkspace "
        "createSubtaskForTask addDependenciesForTask addTagForTask addFollowersForTask "
        "createStoryForTask getStoriesForTask createProject getProjects duplicateProject "
        "createSectionForProject addTaskForSection createProjectStatusForProject createTag "
        "getTagsForWorkspace createTeam addUserForTeam getUsersForTeam createGoal updateGoal "
        "getGoals createPortfolio addItemForPortfolio createAttachmentForObject "
        "createTimeTrackingEntry getTimeTrackingEntriesForTask createWebhook "
        "getUserTaskListForUser createOooEntry typeaheadForWorkspace",
    ),
    (
        "box",
        "box.json",
        "box/box-openapi",
        "openapi.json",
        "c9a878a9824344129881392e2b08f7117201e82e",
        "get_files_id put_files_id delete_files_id get_files_id_content post_files_content "
        "post_files_id_copy get_files_id_versions post_files_id_versions_current "
        "get_files_id_comments post_comments get_folders_id_items post_folders "
        "post_folders_id_copy delete_folders_id put_folders_id#add_shared_link "
        "put_files_id#add_shared_link put_files_id#remove_shared_link post_collaborations "
        "get_files_id_collaborations delete_collaborations_id get_search get_folders_trash_items "
        "post_files_id post_tasks post_task_assignments get_recent_items post_users post_groups "
        "post_group_memberships post_zip_downloads post_sign_requests post_ai_ask "
        "put_files_id_watermark post_web_links post_file_requests_id_copy get_events "
        "post_legal_hold_policies",
    ),
    (
        "gmaps",
        "googlemaps.json",
        "googlemaps/openapi-specification",
        "dist/google-maps-platform-openapi3.json",
        "ef437434d55ad2d988c0fc8c0b3d14fe2dcb7441",
        "geolocate directions elevation geocode timezone snapToRoads nearestRoads distanceMatrix "
        "placeDetails findPlaceFromText nearbySearch textSearch placePhoto queryAutocomplete "
        "autocomplete streetView streetViewMetadata",
    ),
    (
        "intercom",
        "intercom.yaml",
        "intercom/Intercom-OpenAPI",
        "descriptions/2.11/api.intercom.io.yaml",
        "8889625a7b931d8649e18726e7f872ff073520fc",
        "listAdmins setAwayAdmin createArticle searchArticles updateArticle createCollection "
        "createOrUpdateCompany attachContactToACompany createNote listNotes attachTagToContact "
        "CreateContact SearchContacts MergeContact ArchiveContact createConversation "
        "replyConversation manageConversation searchConversations attachTagToConversation "
        "convertConversationToTicket createMessage createNewsItem createTag listTeams createTicket "
        "updateTicket searchTickets replyTicket createDataEvent createDataExport "
        "listSegmentsForAContact",
    ),
    (
        "netlify",
        "netlify.yml",
        "netlify/open-api",
        "swagger.yml",
        "650803172c55155ec34dcad94602e058477a4a98",
        "listSites createSite getSite updateSite deleteSite provisionSiteTLSCertificate getEnvVars "
        "createEnvVars updateEnvVar deleteEnvVar listSiteForms listSiteSubmissions purgeCache "
        "createSiteSnippet createSiteBuildHook listSiteDeploys getSiteDeploy cancelSiteDeploy "
        "restoreSiteDeploy rollbackSiteDeploy createSiteBuild listSiteBuilds lockDeploy "
        "unlockDeploy createHookBySiteId listDeployKeys createDeployKey addMemberToAccount "
        "listMembersForAccount removeAccountMember listAccountAuditEvents createSplitTest "
        "createDnsZone createDnsRecord getDnsRecords configureDNSForSite getCurrentUser",
    ),
    (
        "pagerduty",
        "pagerduty.json",
        "PagerDuty/api-schema",
        "reference/REST/openapiv3.json",
        "91a06fb3c64b0ab2b2bd6c485d12b327dfb55c18",
        "listIncidents createIncident getIncident updateIncident mergeIncidents listIncidentNotes "
        "createIncidentNote createIncidentSnooze createIncidentStatusUpdate "
        "createIncidentResponderRequest listIncidentAlerts getRelatedIncidents listOnCalls "
        "listSchedules createSchedule createScheduleOverride listScheduleUsers listServices "
        "createService updateService createMaintenanceWindow listMaintenanceWindows "
        "listEscalationPolicies createEscalationPolicy listUsers createUser listTeams createTeam "
        "listPriorities createStatusPagePost listLogEntries createServiceIntegration "
        "listNotifications",
    ),
    (
        "spotify",
        "spotify.yml",
        "sonallux/spotify-web-api",
        "fixed-spotify-open-api.yml",
        "a3369587d22fb1b3fe4aeb4022d67469365695b8",
        "search get-an-artist get-an-artists-top-tracks get-an-artists-albums get-an-album "
        "get-track get-playlist create-playlist add-items-to-playlist remove-items-playlist "
        "change-playlist-details get-a-list-of-current-users-playlists save-tracks-user "
        "remove-tracks-user get-users-saved-tracks follow-artists-users unfollow-artists-users "
        "get-recommendations get-information-about-the-users-current-playback "
        "transfer-a-users-playback get-a-users-available-devices "
        "get-the-users-currently-playing-track start-a-users-playback pause-a-users-playback "
        "skip-users-playback-to-next-track set-volume-for-users-playback "
        "toggle-shuffle-for-users-playback set-repeat-mode-on-users-playback get-recently-played "
        "add-to-queue get-queue get-users-top-artists get-new-releases get-a-shows-episodes "
        "save-shows-user upload-custom-playlist-cover",
    ),
    (
        "square",
        "square.json",
        "square/connect-api-specification",
        "api.json",
        "5733f6624e9a5b930a8426f0e02a6bf7e35c6c0f",
        "CreatePayment RefundPayment ListPayments GetPayment CancelPayment CreateCustomer "
        "SearchCustomers UpdateCustomer DeleteCustomer AddGroupToCustomer CreateInvoice "
        "PublishInvoice CancelInvoice SearchInvoices CreateOrder SearchOrders PayOrder "
        "UpsertCatalogObject SearchCatalogItems BatchChangeInventory BatchRetrieveInventoryCounts "
        "CreateBooking CancelBooking SearchAvailability UpdateBooking CreateGiftCard "
        "CreateGiftCardActivity CreatePaymentLink CreateSubscription PauseSubscription "
        "CancelSubscription ListDisputes AcceptDispute CreateDisputeEvidenceText "
        "CreateLoyaltyAccount AccumulateLoyaltyPoints RedeemLoyaltyReward CreateTeamMember "
        "CreateTimecard CreateTerminalCheckout ListLocations ListPayouts CreateVendor",
    ),
    (
        "twilio",
        "twilio.json",
        "twilio/twilio-oai",
        "spec/json/twilio_api_v2010.json",
        "d50069b44ea8cd23141385bdb6db48f16ff75bb5",
        "CreateMessage ListMessage FetchMessage DeleteMessage UpdateMessage CreateCall ListCall "
        "UpdateCall FetchCall CreateCallRecording ListRecording DeleteRecording "
        "ListRecordingTranscription ListAvailablePhoneNumberLocal ListAvailablePhoneNumberTollFree "
        "CreateIncomingPhoneNumber ListIncomingPhoneNumber UpdateIncomingPhoneNumber "
        "DeleteIncomingPhoneNumber FetchBalance ListUsageRecordThisMonth CreateUsageTrigger "
        "CreateQueue UpdateConference ListConference UpdateParticipant CreateValidationRequest",
    ),
    (
        "xero",
        "xero_accounting.yaml",
        "XeroAPI/Xero-OpenAPI",
        "xero_accounting.yaml",
        "e952d0bda3628facbf7afc5990ad6a0e7e77bd1e",
        "createInvoices getInvoices emailInvoice getInvoiceAsPdf updateInvoice getOnlineInvoice "
        "createPayment getPayments deletePayment createContacts getContacts updateContact "
        "createContactGroup createCreditNotes createCreditNoteAllocation createQuotes "
        "getQuoteAsPdf createPurchaseOrders getPurchaseOrderAsPdf createBankTransactions "
        "createBankTransfer createExpenseClaims createReceipt createItems getItems "
        "createManualJournals getReportProfitAndLoss getReportBalanceSheet "
        "getReportAgedReceivablesByContact getReportTrialBalance createRepeatingInvoices "
        "getTaxRates getAccounts createTrackingCategory getInvoiceReminders",
    ),
    (
        "xeropayroll",
        "xero_payroll_uk.yaml",
        "XeroAPI/Xero-OpenAPI",
        "xero-payroll-uk.yaml",
        "e952d0bda3628facbf7afc5990ad6a0e7e77bd1e",
        "getEmployees createEmployee updateEmployee createEmployment getEmployeeLeaveBalances "
        "createEmployeeLeave getEmployeeLeaves deleteEmployeeLeave "
        "createEmployeeStatutorySickLeave createTimesheet createTimesheetLine approveTimesheet "
        "revertTimesheet getTimesheets getPayRuns getPaySlips getPaySlip "
        "createEmployeePaymentMethod createEmployeeSalaryAndWage updateEmployeeSalaryAndWage "
        "createReimbursement createBenefit createDeduction createLeaveType createPayRunCalendar "
        "getEmployeeTax createEmployeeEarningsTemplate",
    ),
]

HS = "HubSpot/HubSpot-public-api-spec-collection"
HS_C = "99893791383254f52aa07662baeb98aad65cc710"
BC = "bigcommerce/docs"
BC_C = "24f580ca6d2981728b7ed70a2049e00fc602c335"


def _hs(obj: str, ops: str):
    """HubSpot CRM object spec: the short names (see short_id) of the operations kept."""
    return [
        f"{obj}_search_doSearch" if o == "doSearch" else o if "_" in o else f"{obj}_{o}"
        for o in ops.split()
    ]


SPECS_BIZ = [
    (
        "sendgrid",
        "sendgrid.json",
        "sendgrid/sendgrid-oai",
        "oai.json",
        "bef1536aeed2eb7b1ad4fde110a8ec65c583c4c5",
        "POST_mail-send POST_user-scheduled_sends DELETE_user-scheduled_sends-batch_id create-api-keys "
        "DELETE_api_keys-api_key_id POST_alerts GET_user-credits POST_subusers POST_validations-email "
        "POST_verified_senders POST-design LIST-designs PUT_mc-contacts DELETE_mc-contacts "
        "POST_mc-contacts-search POST_mc-contacts-exports PUT_mc-contacts-imports POST_mc-lists GET_mc-lists "
        "DELETE_mc-lists-id-contacts POST_marketing-segments POST_marketing-singlesends "
        "PUT_marketing-singlesends-id-schedule DELETE_marketing-singlesends-id-schedule get-singlesend-stat "
        "POST_templates POST_templates-template_id-versions GET_stats GET_geo-stats GET_suppression-bounces "
        "DELETE_suppression-bounces-email GET_suppression-spam_reports POST_asm-suppressions-global POST_asm-groups "
        "GET_suppression-blocks POST_v3-teammates DELETE_v3-teammates-username GET_user-profile POST_whitelabel-domains",
    ),
    (
        "hubspot",
        "hubspot_contacts.json",
        HS,
        "PublicApiSpecs/CRM/Contacts/Rollouts/424/v3/contacts.json",
        HS_C,
        _hs(
            "contacts",
            "create getPage getById update archive doSearch contacts_merge_merge "
            "contacts_gdpr-delete_purge",
        ),
    ),
    (
        "hubspot",
        "hubspot_companies.json",
        HS,
        "PublicApiSpecs/CRM/Companies/Rollouts/424/v3/companies.json",
        HS_C,
        _hs("companies", "create getById update archive doSearch"),
    ),
    (
        "hubspot",
        "hubspot_deals.json",
        HS,
        "PublicApiSpecs/CRM/Deals/Rollouts/424/v3/deals.json",
        HS_C,
        _hs("deals", "create getPage getById update archive doSearch"),
    ),
    (
        "hubspot",
        "hubspot_tickets.json",
        HS,
        "PublicApiSpecs/CRM/Tickets/Rollouts/424/v3/tickets.json",
        HS_C,
        _hs("tickets", "create getById update archive doSearch"),
    ),
    (
        "hubspot",
        "hubspot_tasks.json",
        HS,
        "PublicApiSpecs/CRM/Tasks/Rollouts/424/v3/tasks.json",
        HS_C,
        _hs("tasks", "create update archive doSearch"),
    ),
    (
        "hubspot",
        "hubspot_notes.json",
        HS,
        "PublicApiSpecs/CRM/Notes/Rollouts/424/v3/notes.json",
        HS_C,
        _hs("notes", "create archive doSearch"),
    ),
    (
        "hubspot",
        "hubspot_calls.json",
        HS,
        "PublicApiSpecs/CRM/Calls/Rollouts/424/v3/calls.json",
        HS_C,
        _hs("calls", "create getPage doSearch"),
    ),
    (
        "hubspot",
        "hubspot_meetings.json",
        HS,
        "PublicApiSpecs/CRM/Meetings/Rollouts/424/v3/meetings.json",
        HS_C,
        _hs("meetings", "create update doSearch"),
    ),
    (
        "hubspot",
        "hubspot_products.json",
        HS,
        "PublicApiSpecs/CRM/Products/Rollouts/424/v3/products.json",
        HS_C,
        _hs("products", "create update archive doSearch"),
    ),
    (
        "hubspot",
        "hubspot_pipelines.json",
        HS,
        "PublicApiSpecs/CRM/Pipelines/Rollouts/145896/v3/pipelines.json",
        HS_C,
        ["pipelines_getAll", "pipelines_stages_getAll", "pipelines_stages_create"],
    ),
    (
        "docusign",
        "docusign.json",
        "docusign/OpenAPI-Specifications",
        "esignature.rest.swagger-v2.json",
        "3c20b6c8ed00c29c87d7418b5e97d3fad184d012",
        "Envelopes_PostEnvelopes Envelopes_GetEnvelopes Envelopes_GetEnvelope Envelopes_PutEnvelope "
        "Recipients_GetRecipients Recipients_PostRecipients Recipients_PutRecipients Recipients_DeleteRecipient "
        "Documents_GetDocument Documents_GetDocuments Documents_PutDocuments Templates_GetTemplates "
        "Templates_PostTemplates Templates_GetTemplate Views_PostEnvelopeRecipientView Views_PostEnvelopeSenderView "
        "Views_PostEnvelopeCorrectView AuditEvents_GetAuditEvents Users_PostUsers Users_GetUsers Users_DeleteUsers "
        "Groups_PostGroups Groups_PutGroupUsers SigningGroups_PostSigningGroups PowerForms_PostPowerForm "
        "Notification_PutEnvelopesEnvelopeIdNotification Attachments_PutAttachments Brands_PostBrands "
        "FormData_GetFormData Folders_GetFolders Folders_PutFolderById Lock_PostEnvelopeLock "
        "Comments_GetCommentsTranscript BillingInvoices_GetBillingInvoicesPastDue Contacts_PostContacts "
        "UserSignatures_PostUserSignatures",
    ),
    (
        "plaid",
        "plaid.yml",
        "plaid/plaid-openapi",
        "2020-09-14.yml",
        "26f1a0588c12e765e99c815300d94eae0a3c7dc1",
        "linkTokenCreate itemPublicTokenExchange accountsGet accountsBalanceGet authGet transactionsSync "
        "transactionsGet transactionsRefresh transactionsRecurringGet identityGet identityMatch institutionsSearch "
        "institutionsGetById itemRemove itemGet liabilitiesGet investmentsHoldingsGet investmentsTransactionsGet "
        "assetReportCreate assetReportGet assetReportPdfGet statementsList statementsDownload "
        "transferAuthorizationCreate transferCreate transferGet transferList transferRecurringCreate "
        "paymentInitiationRecipientCreate paymentInitiationPaymentCreate paymentInitiationConsentRevoke "
        "identityVerificationCreate watchlistScreeningIndividualCreate processorTokenCreate itemWebhookUpdate "
        "categoriesGet transactionsEnrich",
    ),
    (
        "bigcommerce",
        "bc_catalog.yml",
        BC,
        "reference/catalog/products_catalog.v3.yml",
        BC_C,
        "getProducts createProduct getProduct updateProduct deleteProduct updateProducts createProductImage "
        "getProductImages deleteProductImage createProductVideo getProductReviews createProductReview "
        "updateProductReview createBulkPricingRule createProductCustomField createProductsCategoryAssignments "
        "createProductsChannelAssignments getCatalogSummary createProductMetafield",
    ),
    (
        "bigcommerce",
        "bc_orders.yml",
        BC,
        "reference/orders.v2.oas2.yml",
        BC_C,
        "getOrders getOrder createOrder updateOrder deleteOrder getOrdersCount getOrderProducts "
        "getOrderShippingAddresses updateOrderShippingAddress createOrderShipments getOrderShipments "
        "updateOrderShipment getOrderShippingAddress getOrderCoupons getOrderStatuses getOrderMessages getOrderTaxes",
    ),
    (
        "bigcommerce",
        "bc_customers.yml",
        BC,
        "reference/customers.v3.yml",
        BC_C,
        "getCustomers createCustomers updateCustomers deleteCustomers getCustomersAddresses createCustomersAddresses "
        "updateCustomersAddresses validateCustomerCredentials updateCustomerConsent getCustomerStoredInstruments "
        "upsertCustomersAttributeValues createCustomersAttributes",
    ),
    (
        "bigcommerce",
        "bc_promotions.yml",
        BC,
        "reference/promotions.v3.yml",
        BC_C,
        "getPromotions createPromotion updatePromotion deletePromotion createPromotionCode "
        "generatePromotionCodesBatch getCouponCodeByCode",
    ),
    (
        "bigcommerce",
        "bc_inventory.yml",
        BC,
        "reference/inventory.v3.yml",
        BC_C,
        "put-absolute-adjustment post-relative-adjustment get-inventory-items get-location-inventory-items",
    ),
    (
        "bigcommerce",
        "bc_price_lists.yml",
        BC,
        "reference/price_lists.v3.yml",
        BC_C,
        "getPriceLists createPriceList updatePriceList upsertPriceListRecords createPriceListAssignments",
    ),
    (
        "bigcommerce",
        "bc_webhooks.yml",
        BC,
        "reference/webhooks.v3.yml",
        BC_C,
        "createWebhooks getWebhooks deleteWebhook",
    ),
    (
        "okta",
        "okta.yaml",
        "okta/okta-management-openapi-spec",
        "dist/current/management-noEnums-oneOfInheritance.yaml",
        "fdda229e82940cf5af4611ad673ca6a27974e31b",
        "listUsers createUser getUser updateUser deleteUser activateUser deactivateUser suspendUser unsuspendUser "
        "unlockUser resetPassword expirePassword changePassword forgotPassword resetFactors listFactors enrollFactor "
        "unenrollFactor revokeUserSessions listUserGroups listUserDevices listGroups addGroup replaceGroup deleteGroup "
        "listGroupUsers assignUserToGroup unassignUserFromGroup createGroupRule listApplications createApplication "
        "deactivateApplication listApplicationUsers assignUserToApplication unassignUserFromApplication "
        "assignGroupToApplication listLogEvents listDevices suspendDevice deleteDevice getUserRisk "
        "assignRoleToGroup listGroupOwners assignGroupOwner listUserBlocks",
    ),
    (
        "vikunja",
        "vikunja.json",
        "go-vikunja/vikunja",
        "pkg/swagger/swagger.json",
        "762dc4ebe6f3fbff15d90a0a119f0c6a4720e033",
        "put/projects get/projects get/projects/{id} post/projects/{id} delete/projects/{id} put/projects/{projectID}/duplicate "
        "put/projects/{id}/tasks get/tasks get/tasks/{id} post/tasks/{id} delete/tasks/{id} post/tasks/bulk "
        "put/tasks/{id}/attachments put/tasks/{taskID}/assignees delete/tasks/{taskID}/assignees/{userID} put/tasks/{taskID}/comments "
        "get/tasks/{taskID}/comments put/tasks/{taskID}/relations put/tasks/{taskID}/duplicate put/tasks/{task}/labels "
        "put/labels get/labels put/teams put/teams/{id}/members put/projects/{id}/users put/projects/{project}/shares "
        "put/projects/{project}/views put/projects/{id}/views/{view}/buckets put/filters get/notifications post/notifications "
        "put/migration/csv/migrate post/migration/trello/migrate put/user/settings/token/caldav "
        "post/user/export/request put/subscriptions/{entity}/{entityID} put/projects/{id}/webhooks",
    ),
]

CATALOGS = {
    "openapi_mix": (
        SPECS,
        (
            "A retrieval catalog of {n} real REST operations from {k} public OpenAPI specs "
            "(tasks, file storage, maps, customer support, web deploys, incident response, "
            "music, payments/POS, SMS/voice, accounting, payroll/HR)"
        ),
    ),
    "openapi_biz": (
        SPECS_BIZ,
        (
            "A retrieval catalog of {n} real REST operations from {k} public OpenAPI specs of 7 APIs "
            "(transactional and marketing email, CRM objects, e-signature, open banking, e-commerce "
            "catalog/orders/customers/promotions, identity and access management, self-hosted task "
            "manager); HubSpot's CRM objects share one operation set, so near-identical "
            "create/search/update tools exist across objects"
        ),
    ),
}

SKIP_PARAMS = {
    "authorization",
    "xero-tenant-id",
    "idempotency-key",
    "accountsid",
    "x-request-id",
    "accept",
    "intercom-version",
    "opt_pretty",
    "content-type",
    "from_header",
    "key",
    "idempotencykey",
}
KEEP_KEYS = ("type", "description", "enum", "format", "default")
MAX_PROPS = 20
MAX_DESC = 400


def load(path: Path):
    text = path.read_text()
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def resolve(doc, node, seen=()):
    """Follow local $refs (and the first branch of allOf/oneOf/anyOf)."""
    for _ in range(20):
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/") or ref in seen:
                return {}
            seen = (*seen, ref)
            target = doc
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if isinstance(target, list):
                    target = target[int(part)] if part.isdigit() and int(part) < len(target) else {}
                else:
                    target = target.get(part, {}) if isinstance(target, dict) else {}
            node = target
            continue
        for key in ("allOf", "oneOf", "anyOf"):
            if node.get(key):
                if key == "allOf":
                    merged = {k: v for k, v in node.items() if k != "allOf"}
                    props = {}
                    for part in node["allOf"]:
                        part = resolve(doc, part, seen)
                        props.update(part.get("properties", {}))
                        for k in ("type", "description"):
                            merged.setdefault(k, part.get(k))
                    if props:
                        merged["properties"] = props
                        merged["type"] = "object"
                    node = {k: v for k, v in merged.items() if v is not None}
                else:
                    first = resolve(doc, node[key][0], seen)
                    rest = {k: v for k, v in node.items() if k != key}
                    node = {**first, **rest}
                break
        else:
            return node
    return node


def clean_desc(text):
    text = re.sub(r"<[^>]+>", "", str(text or ""))
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_DESC:
        cut = text[:MAX_DESC]
        text = cut[: cut.rfind(". ") + 1] if ". " in cut else cut.rsplit(" ", 1)[0] + "..."
    return text


def schema(doc, node, depth=0):
    node = resolve(doc, node)
    if not isinstance(node, dict):
        return {"type": "string"}
    out = {}
    for k in KEEP_KEYS:
        if k in node and node[k] is not None:
            out[k] = clean_desc(node[k]) if k == "description" else node[k]
    typ = node.get("type")
    if isinstance(typ, list):
        typ = next((t for t in typ if t != "null"), "string")
    if typ is None:
        typ = "object" if "properties" in node else "array" if "items" in node else "string"
    out["type"] = typ
    if typ not in ("string", "integer", "number", "boolean", "array", "object"):
        out["type"] = "string"
    if "enum" in out:
        out["enum"] = [e for e in out["enum"] if e is not None][:30]
        if not out["enum"] or not all(isinstance(e, (str, int, float, bool)) for e in out["enum"]):
            out.pop("enum")
    if "default" in out and not isinstance(out["default"], (str, int, float, bool)):
        out.pop("default")
    if out["type"] == "array":
        out["items"] = schema(doc, node.get("items", {}), depth + 1) if depth < 2 else {}
    if out["type"] == "object" and depth < 2 and isinstance(node.get("properties"), dict):
        props = {}
        for name, sub in list(node["properties"].items())[:MAX_PROPS]:
            sub_r = resolve(doc, sub)
            if isinstance(sub_r, dict) and sub_r.get("readOnly"):
                continue
            props[name] = schema(doc, sub, depth + 1)
        if props:
            out["properties"] = props
            req = [r for r in node.get("required", []) if r in props]
            if req:
                out["required"] = req
    return out


def param_name(name):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:64]


def short_id(op_id: str) -> str:
    """HubSpot's operationIds are 'get-/crm/v3/objects/contacts_getPage': keep 'contacts_getPage'."""
    if "/" not in op_id or "-/" not in op_id:
        return op_id
    path, fn = op_id.split("-", 1)[1].rsplit("_", 1)
    alias = {"0-1": "contacts", "0-2": "companies", "0-3": "deals", "0-5": "tickets"}
    segs = [
        alias.get(x, x)
        for x in path.split("/")
        if x and not x.startswith("{") and x not in ("crm", "v3", "objects")
    ]
    return "_".join([*segs, fn])


def operation_to_function(doc, prefix, path, method, op, path_item):
    op_id = short_id(op.get("operationId") or f"{method}{path}")
    name = re.sub(r"[^A-Za-z0-9_]+", "_", f"{prefix}_{op_id}").strip("_")[:64]
    summary = clean_desc(op.get("summary", ""))
    detail = clean_desc(op.get("description", ""))
    if summary and detail and not detail.lower().startswith(summary.lower().rstrip(".")):
        description = f"{summary.rstrip('.')}. {detail}"
    else:
        description = detail or summary or f"{method.upper()} {path}"
    description = clean_desc(description)
    properties, required = {}, []
    params = list(path_item.get("parameters", [])) + list(op.get("parameters", []))
    for p in params:
        p = resolve(doc, p)
        if not isinstance(p, dict) or "name" not in p:
            continue
        if p["name"].lower().replace("_", "-") in SKIP_PARAMS or p["name"].lower() in SKIP_PARAMS:
            continue
        if p.get("in") == "body":  # Swagger 2 body parameter
            body = schema(doc, p.get("schema", {}))
            for k, v in body.get("properties", {}).items():
                properties.setdefault(param_name(k), v)
            required += [param_name(r) for r in body.get("required", [])]
            if not body.get("properties"):
                properties[param_name(p["name"])] = body
                if p.get("required"):
                    required.append(param_name(p["name"]))
            continue
        if "schema" in p:
            s = schema(doc, p["schema"], 1)
        else:  # Swagger 2 simple parameter
            s = schema(doc, {k: v for k, v in p.items() if k in (*KEEP_KEYS, "items")}, 1)
        if p.get("description"):
            s["description"] = clean_desc(p["description"])
        key = param_name(p["name"])
        properties[key] = s
        if p.get("required") or p.get("in") == "path":
            required.append(key)
    body = op.get("requestBody")
    if body:
        body = resolve(doc, body)
        content = body.get("content", {})
        media = next(
            (
                content[m]
                for m in (
                    "application/json",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data",
                )
                if m in content
            ),
            next(iter(content.values()), {}),
        )
        bs = schema(doc, media.get("schema", {}))
        if bs.get("type") == "object" and bs.get("properties"):
            for k, v in bs["properties"].items():
                properties.setdefault(param_name(k), v)
            required += [param_name(r) for r in bs.get("required", [])]
        elif bs:
            properties.setdefault(
                "body",
                {
                    **bs,
                    "description": bs.get("description")
                    or clean_desc(body.get("description"))
                    or "Request body",
                },
            )
            if body.get("required"):
                required.append("body")
    required = [r for r in dict.fromkeys(required) if r in properties]
    return {
        "name": name,
        "description": description,
        "parameters": {"type": "object", "properties": properties, "required": required},
    }


def build(spec_dir: Path, specs=None):
    tools, spec_records = [], []
    for prefix, local, repo, path, commit, ops in specs or SPECS:
        f = spec_dir / local
        doc = load(f)
        wanted = ops.split() if isinstance(ops, str) else list(ops)
        found = {}
        for p, item in doc["paths"].items():
            for method, op in item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                op_id = short_id(op.get("operationId") or f"{method}{p}")
                if op_id in wanted:
                    found[op_id] = operation_to_function(doc, prefix, p, method, op, item)
        missing = [w for w in wanted if w not in found]
        if missing:
            raise SystemExit(f"{prefix}: operations not in the spec: {missing}")
        tools += [found[w] for w in wanted]
        spec_records.append(
            {
                "api": prefix,
                "repository": repo,
                "path": path,
                "commit": commit,
                "sha256": hashlib.sha256(f.read_bytes()).hexdigest(),
                "operations_used": wanted,
            }
        )
    names = [t["name"] for t in tools]
    assert len(names) == len(set(names)), "duplicate names"
    return tools, spec_records


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: build_openapi.py SPEC_DIR (the downloaded specs the manifests list)")
    spec_dir = Path(sys.argv[1])
    for catalog, (specs, blurb) in CATALOGS.items():
        tools, records = build(spec_dir, specs)
        out = HERE / catalog
        out.mkdir(exist_ok=True)
        (out / "tools.json").write_text(json.dumps(tools, indent=1, ensure_ascii=False) + "\n")
        mpath = out / "manifest.json"
        manifest = json.loads(mpath.read_text()) if mpath.exists() else {}
        manifest.update(
            {
                "name": catalog,
                "description": blurb.format(n=len(tools), k=len(records))
                + (
                    ", converted to functions by build_openapi.py (operationId prefixed by the API as "
                    "the name, summary + description as the description, path/query parameters and "
                    "request-body properties as parameters), with requests written by hand; tools "
                    "lists every tool a request needs."
                ),
                "source": {
                    "kind": "OpenAPI specs from public GitHub repositories (raw specs not kept here)",
                    "builder": "benchmarks/data/foreign_retrieval/build_openapi.py",
                    "specs": records,
                },
            }
        )
        mpath.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
        print(f"{catalog}: {len(tools)} tools from {len(records)} specs")


if __name__ == "__main__":
    main()
