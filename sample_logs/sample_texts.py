"""Text for the sample logs: the fictional product, its ticket taxonomy, prompts and ticket builder.

Used only by generate.py. Everything here is made up and ASCII; nothing is random except through the
`rng` a function is given.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    weight: int
    topic: str
    meaning: str
    issues: tuple[str, ...]


LABELS: dict[str, Label] = {
    "billing.refund_request": Label(
        14,
        "the refund",
        "the customer wants money back",
        (
            "I was charged twice for my subscription this month, please refund the duplicate payment.",
            "We cancelled during the trial but were still charged the annual price, please refund it.",
            "Please refund the last renewal, we had moved to the Starter plan before it went through.",
            "The charge on my statement is for seats we removed weeks ago, so I expect part of it back.",
        ),
    ),
    "billing.invoice_question": Label(
        12,
        "your invoice",
        "questions about an invoice, VAT or receipts",
        (
            "Our latest invoice shows a VAT amount that does not match the rate for our country.",
            "I need the company name and tax number on last month's invoice changed for our accountant.",
            "Where can I download receipts for all of last year in one file?",
            "The invoice total is higher than the price on your website and I do not understand why.",
        ),
    ),
    "billing.plan_change": Label(
        8,
        "changing your plan",
        "upgrade, downgrade or seat changes",
        (
            "We want to move from the Pro plan to Business and keep our current billing date.",
            "How do I remove two team seats without losing the history of those users?",
            "Can we switch from monthly to annual billing and get the discount straight away?",
        ),
    ),
    "account.login_problem": Label(
        12,
        "signing in",
        "cannot sign in, password or email issues",
        (
            "I cannot log in, the password reset email never arrives even though I checked the spam folder.",
            "Since this morning the app says my session expired every time I try to sign in.",
            "My colleague changed the account email and now neither of us can get into the workspace.",
        ),
    ),
    "account.two_factor_lockout": Label(
        5,
        "two-factor sign-in",
        "lost the second factor",
        (
            "I lost my phone and with it the authenticator app, so I am locked out of my account.",
            "The two-factor codes are always rejected as invalid although the clock on my phone is right.",
        ),
    ),
    "account.cancellation": Label(
        6,
        "cancelling your account",
        "wants to close the account",
        (
            "Please cancel our subscription at the end of the current period and delete our data afterwards.",
            "We are closing the business and need to cancel, what happens to our invoices and reports?",
        ),
    ),
    "bug.sync_failure": Label(
        10,
        "the sync problem",
        "data does not sync between devices",
        (
            "Invoices I create on my phone do not show up on the desktop app until the next day.",
            "The mobile app has been stuck on 'syncing' for two days and new expenses are missing.",
            "Changes made by my bookkeeper are overwritten when I open the same file on my laptop.",
        ),
    ),
    "bug.app_crash": Label(
        8,
        "the crash",
        "the app closes, freezes or shows an error",
        (
            "The desktop app crashes every time I open the Reports tab.",
            "After the latest update the iPad app closes as soon as I tap on a customer.",
            "Exporting to PDF freezes the whole app and I have to force quit it.",
        ),
    ),
    "bug.report_totals_incorrect": Label(
        5,
        "the report totals",
        "numbers in a report are wrong",
        (
            "The profit and loss report shows a different total than the sum of the invoices it lists.",
            "Our VAT return report counts credit notes twice for the last quarter.",
        ),
    ),
    "integration.bank_feed_disconnect": Label(
        9,
        "the bank feed",
        "bank connection stopped or duplicates",
        (
            "Our bank feed stopped importing transactions last Friday and reconnecting does not help.",
            "The bank connection asks me to log in again every few days and then imports duplicates.",
            "Transactions from our second business account no longer appear in the bank feed.",
        ),
    ),
    "feature_request": Label(
        5,
        "your suggestion",
        "asks for something the product does not do",
        (
            "It would be great if recurring invoices could be sent on the last working day of the month.",
            "Please add a way to set different payment terms for each customer.",
            "Could you support multiple currencies on one invoice for our export clients?",
        ),
    ),
    "how_to": Label(
        9,
        "your question",
        "asks how to do something the product already does",
        (
            "How do I add my company logo to the invoice template?",
            "What is the right way to record a partial payment against an invoice?",
            "How can I give my accountant read-only access to our books?",
        ),
    ),
    "spam": Label(
        2,
        "your message",
        "advertising or unrelated to the product",
        (
            "We offer guaranteed first page search rankings for your website at a special price.",
            "Buy followers and likes for your business page today, limited offer.",
            "Our agency builds mobile apps for half the price of your current vendor.",
        ),
    ),
}

FEW_SHOT_LABELS = (
    "billing.refund_request",
    "account.login_problem",
    "bug.sync_failure",
    "integration.bank_feed_disconnect",
    "how_to",
    "spam",
)

DETAILS = (
    "We are on the Pro plan with three team seats.",
    "This started right after the update earlier this week.",
    "I have already tried logging out and back in, without any change.",
    "We use the app on two Windows laptops and an iPad.",
    "Our accountant needs this sorted before the end of the month.",
    "I attached a screenshot of the message I get.",
    "The same thing happened once in the spring but it fixed itself.",
    "Our company is based in Ireland and we invoice in euro.",
    "I have been a customer for almost four years and never had this before.",
    "Clearing the browser cache did not help either.",
    "We have about two hundred invoices a month, so this is urgent for us.",
    "My colleague on the same account sees exactly the same problem.",
    "I tried the web version in Chrome and in Firefox.",
    "Nothing changed on our side as far as I know.",
    "The support article I found describes an older version of the screen.",
    "We run payroll on Thursday and need everything to be correct by then.",
    "I checked the status page and it says all systems are working.",
    "Our account is registered under the company email, not my personal one.",
    "I already reinstalled the app on my phone this morning.",
    "The problem only shows up for the business account, not for the personal one.",
    "We connected the Stripe integration last month, in case that matters.",
    "Please call me back if that is easier, I am available in the afternoon.",
    "I could not find anything about this in the help center.",
    "Our financial year ends in March, so the old data still matters.",
    "The error code shown is 4012, if that helps your team.",
    "We also use the Shopify sync for our online shop.",
    "My bookkeeper works from a Mac and sees the same thing.",
    "This is costing us a lot of time every day.",
    "I would appreciate a quick answer, even a partial one.",
    "Everything worked fine until about two weeks ago.",
    "We added a new user last week, maybe that is related.",
    "I am not very technical, so please explain the steps simply.",
)

GREETINGS = ("Hello,", "Hi,", "Hi there,", "Dear support,", "Hello Ledgerly team,", "Good morning,")
SIGNOFFS = ("Thanks,\nSam", "Best regards,\nMaria", "Thank you!\nTom", "Kind regards,\nPriya", "Cheers,\nLeo")

PRODUCTS = (
    "Ledgerly Web",
    "Ledgerly Mobile",
    "Ledgerly Desktop",
    "Invoices",
    "Quotes",
    "Credit Notes",
    "Recurring Invoices",
    "Payment Links",
    "Expenses",
    "Receipt Inbox",
    "Mileage",
    "Bank Feeds",
    "Bank Rules",
    "Reconciliation",
    "Payroll",
    "Timesheets",
    "Projects",
    "Inventory",
    "Purchase Orders",
    "Bills",
    "VAT Returns",
    "Reports",
    "Budgets",
    "Cash Forecast",
    "Client Portal",
    "Team Seats",
    "Accountant Access",
    "Audit Log",
    "Data Export",
    "API",
    "Stripe Sync",
    "Shopify Sync",
    "PayPal Sync",
    "Card Reader",
    "Multi-Currency",
    "Approvals",
    "Documents",
    "SSO",
)

CLASSIFY_SYSTEM = (
    "You are the ticket triage model for Ledgerly, an accounting and invoicing app for small businesses. "
    "You read one customer support ticket at a time and answer with exactly one label from the taxonomy "
    "below. The label decides which queue the ticket goes to, so precision matters more than speed.\n\n"
    "Taxonomy:\n" + "".join(f"- {name}: {label.meaning}.\n" for name, label in LABELS.items()) + "\nRules:\n"
    "1. Choose the label for the customer's main request, not for background details they mention.\n"
    "2. A ticket that asks for money back is billing.refund_request even if it also describes a bug.\n"
    "3. Sign-in problems caused by a lost phone or authenticator are account.two_factor_lockout.\n"
    "4. If the bank connection is involved in any way, prefer integration.bank_feed_disconnect over "
    "bug.sync_failure.\n"
    "5. Questions about how to use an existing feature are how_to; wishes for new behaviour are "
    "feature_request.\n"
    "6. Advertising, cold sales offers and messages unrelated to Ledgerly are spam.\n"
    "7. Ignore greetings, signatures, threats to leave and attachments when choosing the label.\n"
    "8. Never invent a label and never answer the customer.\n\n"
    "Product areas customers mention: {products}.\n\n"
    "Answer with the label only, in lower case, with no punctuation and no explanation."
)

DRAFT_SYSTEM = (
    "You draft email replies for Ledgerly support agents. Ledgerly is an accounting and invoicing app "
    "for small businesses. An agent pastes a customer ticket and short internal notes; you write the "
    "reply the agent will review, edit and send.\n\n"
    "Style:\n"
    "- Friendly, calm and concrete. Address the customer by first name when the ticket shows it.\n"
    "- Start with the answer or the next step, then the explanation. No more than five short paragraphs.\n"
    "- Use numbered steps for anything the customer has to do in the app, naming menus exactly.\n"
    "- Never promise refunds, credits, dates or fixes unless the agent notes say they are approved.\n"
    "- Never ask for passwords, full card numbers or authenticator codes.\n"
    "- If the notes mention an engineering ticket, say the team is working on it without giving a date.\n"
    "- End with an offer to help further and sign as 'The Ledgerly Support Team'.\n\n"
    "Facts you can rely on:\n"
    "- Refunds go back to the original card within 5 to 10 working days.\n"
    "- Plan changes take effect immediately; downgrades are credited on the next invoice.\n"
    "- Bank feeds are provided by a third-party aggregator; reconnecting under Banking > Connections "
    "fixes most expired connections.\n"
    "- Deleted data can be restored for 30 days after account closure.\n"
    "- Questions about how much tax to pay go to the customer's accountant; never give tax advice.\n\n"
    "Product areas you may need to name: {products}."
)

DRAFT_REQUEST = "Customer ticket:\n{ticket}\n\nAgent notes: {note}\n\nDraft the reply."
EARLIER_MESSAGE = "\n\n--- earlier message from the customer ---\n"

AGENT_NOTES = (
    "Refund for the duplicate charge is approved.",
    "Known issue, engineering ticket ENG-4411, no date yet.",
    "Customer is on the Pro plan since 2022, be generous with the explanation.",
    "Offer a screen-share session on Thursday.",
    "Point them to the help article on bank rules.",
    "Do not offer a refund, the renewal was correct.",
    "Second ticket this week from this customer, keep it short and clear.",
    "Ask for the exact error code and the app version.",
    "Plan change can be done by us, confirm before we do it.",
    "Feature is on the roadmap for next quarter, do not promise it.",
)

REPLY_BODIES = (
    "I have looked into this and the next step is on our side, so there is nothing you need to do right now.",
    "Here is what to do: open Settings, choose Billing, and select the option described below.",
    "Our engineering team is aware of this and is working on a fix.",
    "I have checked your account and can confirm the change has been applied.",
    "Could you send me the exact error message and the version of the app you are using?",
)


def ticket(rng: random.Random, label: str, n_chars: int) -> str:
    """A made-up ticket about `label`: one issue sentence, then details while they fit in n_chars."""
    issues = LABELS[label].issues
    first = rng.choice(issues)
    extra = [s for s in issues if s != first] if label == "spam" else list(DETAILS)  # spam has no context
    greeting, signoff = rng.choice(GREETINGS), rng.choice(SIGNOFFS)
    budget = n_chars - len(greeting) - len(signoff) - 4 - len(first)
    body = [first]
    for sentence in rng.sample(extra, len(extra)):
        if len(sentence) + 1 <= budget:
            body.append(sentence)
            budget -= len(sentence) + 1
    return f"{greeting}\n\n{' '.join(body)}\n\n{signoff}"


def draft_reply(rng: random.Random, label: str) -> str:
    """A short stand-in for the drafted email (the logged completion_tokens are drawn separately)."""
    body = rng.choice(REPLY_BODIES)
    return (
        f"Hi,\n\nThank you for contacting us about {LABELS[label].topic}. {body}\n\nThe Ledgerly Support Team"
    )
