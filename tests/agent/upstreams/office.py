"""A stdio MCP server of office tools (calendar, mail, contacts, tasks, documents): 22 tools
listed in pages of 7, written on the SDK's low-level Server (:mod:`_table`).

Run: ``python tests/agent/upstreams/office.py`` (stdio).
"""

from __future__ import annotations

import anyio
from _table import table_server, tool
from mcp.server.stdio import stdio_server

S, N, F, B = "str", "int", "float", "bool"
ROWS = [
    tool(
        "create_event",
        "Create a calendar event",
        {
            "title": (S, "Event title"),
            "date": (S, "Day, e.g. 2026-05-01"),
            "time": (S, "Start time, e.g. 14:00"),
        },
        {"event_id": (S, "The new event's id")},
    ),
    tool(
        "list_events",
        "List the calendar events on a day",
        {"date": (S, "Day, e.g. 2026-05-01")},
        {"count": (N, "How many events"), "titles": (S, "Their titles, comma separated")},
    ),
    tool(
        "cancel_event",
        "Cancel a calendar event",
        {"event_id": (S, "The event's id")},
        {"cancelled": (B, "Whether it was cancelled")},
    ),
    tool(
        "send_email",
        "Send an email message to a recipient",
        {
            "to": (S, "Recipient address"),
            "subject": (S, "Subject line"),
            "body": (S, "Message text"),
        },
        {"message_id": (S, "The sent message's id")},
    ),
    tool(
        "search_email",
        "Search the mailbox for messages",
        {"query": (S, "Words to look for")},
        {"count": (N, "Messages found"), "latest_subject": (S, "Subject of the newest one")},
    ),
    tool(
        "find_contact",
        "Look up a person's email address and phone number in the address book",
        {"name": (S, "The person's name")},
        {"email": (S, "Email address"), "phone": (S, "Phone number")},
    ),
    tool(
        "add_contact",
        "Add a person to the address book",
        {"name": (S, "Full name"), "email": (S, "Email address")},
        {"contact_id": (S, "The new contact's id")},
    ),
    tool(
        "create_task",
        "Add a task to the to-do list",
        {"title": (S, "What to do"), "due": (S, "Due date")},
        {"task_id": (S, "The new task's id")},
    ),
    tool(
        "complete_task",
        "Mark a to-do task as done",
        {"task_id": (S, "The task's id")},
        {"done": (B, "Whether it is done now")},
    ),
    tool(
        "list_tasks",
        "List to-do tasks by status",
        {"status": (S, "open or done")},
        {"count": (N, "How many tasks")},
    ),
    tool(
        "create_document",
        "Create a text document",
        {"title": (S, "Document title"), "text": (S, "Its content")},
        {"doc_id": (S, "The new document's id")},
    ),
    tool(
        "share_document",
        "Share a document with someone by email",
        {"doc_id": (S, "The document's id"), "email": (S, "Who gets access")},
        {"shared": (B, "Whether it was shared")},
    ),
    tool(
        "translate_text",
        "Translate text into another language",
        {"text": (S, "Text to translate"), "language": (S, "Target language")},
        {"translation": (S, "The translated text")},
    ),
    tool(
        "summarize_text",
        "Summarize a long text in a few sentences",
        {"text": (S, "Text to summarize")},
        {"summary": (S, "The summary")},
    ),
    tool(
        "set_reminder",
        "Set a reminder at a time",
        {"text": (S, "What to remind of"), "time": (S, "When")},
        {"reminder_id": (S, "The reminder's id")},
    ),
    tool(
        "book_meeting_room",
        "Book a meeting room",
        {"room": (S, "Room name"), "date": (S, "Day"), "time": (S, "Start time")},
        {"booking_id": (S, "The booking's id")},
    ),
    tool(
        "start_video_call",
        "Start a video call and get a link to join it",
        {"topic": (S, "What the call is about")},
        {"join_url": (S, "Link to join")},
    ),
    tool(
        "spell_check",
        "Check the spelling of a text",
        {"text": (S, "Text to check")},
        {"corrections": (N, "How many words were corrected")},
    ),
    tool(
        "word_count",
        "Count the words in a text",
        {"text": (S, "Text to count")},
        {"words": (N, "Number of words")},
    ),
    tool(
        "convert_timezone",
        "Convert a clock time from one time zone to another",
        {
            "time": (S, "Time, e.g. 09:00"),
            "from_zone": (S, "Source time zone"),
            "to_zone": (S, "Target time zone"),
        },
        {"converted": (S, "The time in the target zone")},
    ),
    tool(
        "create_invoice",
        "Create an invoice for a customer",
        {"customer": (S, "Customer name"), "amount": (F, "Amount due")},
        {"invoice_id": (S, "The invoice's id")},
    ),
    tool(
        "export_pdf",
        "Export a document as a PDF file",
        {"doc_id": (S, "The document's id")},
        {"url": (S, "Where to download the PDF")},
    ),
]

server = table_server("office", ROWS, page_size=7)


async def main() -> None:
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


if __name__ == "__main__":
    anyio.run(main)
