"""Build the `mcp_desktop` held-out retrieval catalog from the hand-written tables below.

    python benchmarks/data/foreign_retrieval/build_mcp.py

Each table is one imagined MCP server of the kind a developer/desktop agent connects to.
Every name, description and parameter was written by hand for toolrag's held-out
evaluation (terse ones and verbose ones on purpose, as real servers write them);
none is copied from a dataset. Never train or tune on it.

Row format: ``name | description | params`` where params is ``;``-separated
``name:type[*][:description]`` (``*`` = required; type is str, int, num, bool, arr, obj,
or ``a/b/c`` for a string enum).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

SERVERS: dict[str, str] = {}

SERVERS["filesystem"] = """
read_text_file | Read the complete contents of a file from the file system as text. Handles various text encodings and provides detailed error messages if the file cannot be read. Use the head or tail parameter to read only the first or last N lines. Only works within allowed directories. | path:str*; head:int:If provided, return only the first N lines; tail:int:If provided, return only the last N lines
read_media_file | Read an image or audio file. Returns the base64 encoded data and MIME type. | path:str*
write_file | Create a new file or completely overwrite an existing file with new content. Use with caution as it will overwrite existing files without warning. | path:str*; content:str*
edit_file | Make line-based edits to a text file. Each edit replaces exact line sequences with new content. Returns a git-style diff showing the changes made. | path:str*; edits:arr*:List of {oldText, newText} pairs; dryRun:bool:Preview changes using git-style diff format
create_directory | Create a new directory or ensure a directory exists. Can create multiple nested directories in one operation. | path:str*
list_directory | List files and directories in a path. Results distinguish files and directories with [FILE] and [DIR] prefixes. | path:str*
directory_tree | Get a recursive tree view of files and directories as a JSON structure. | path:str*; excludePatterns:arr
move_file | Move or rename files and directories. Fails if the destination already exists. | source:str*; destination:str*
search_files | Recursively search for files and directories matching a glob pattern. Returns full paths to all matching items. | path:str*; pattern:str*; excludePatterns:arr
get_file_info | Retrieve detailed metadata about a file or directory: size, creation time, last modified time, permissions and type. | path:str*
delete_path | Delete a file or an empty directory. Set recursive to remove a directory and everything in it. | path:str*; recursive:bool
copy_path | Copy a file or directory to a new location. | source:str*; destination:str*; overwrite:bool
grep_files | Search file contents for a regular expression and return matching lines with file names and line numbers. | path:str*; regex:str*; include:str:Glob of files to search, e.g. *.py; ignoreCase:bool
"""

SERVERS["git"] = """
git_status | Shows the working tree status | repo_path:str*
git_diff_unstaged | Shows changes in the working directory that are not yet staged | repo_path:str*; context_lines:int
git_diff_staged | Shows changes that are staged for commit | repo_path:str*; context_lines:int
git_diff | Shows differences between branches or commits | repo_path:str*; target:str*:Branch name or commit to compare with
git_add | Adds file contents to the staging area | repo_path:str*; files:arr*
git_reset | Unstages all staged changes | repo_path:str*
git_commit | Records changes to the repository | repo_path:str*; message:str*
git_log | Shows the commit logs | repo_path:str*; max_count:int; author:str; since:str
git_create_branch | Creates a new branch from an optional base branch | repo_path:str*; branch_name:str*; base_branch:str
git_checkout | Switches branches | repo_path:str*; branch_name:str*
git_show | Shows the contents of a commit | repo_path:str*; revision:str*
git_blame | Show what revision and author last modified each line of a file | repo_path:str*; file:str*; start_line:int; end_line:int
git_stash | Stash the changes in a dirty working directory away | repo_path:str*; message:str; include_untracked:bool
git_stash_pop | Apply the most recent stash and remove it from the stash list | repo_path:str*
git_tag | Create a lightweight or annotated tag at a commit | repo_path:str*; name:str*; revision:str; message:str
git_pull | Fetch from and integrate with the remote branch | repo_path:str*; remote:str; branch:str; rebase:bool
git_push | Update the remote branch with local commits | repo_path:str*; remote:str; branch:str; set_upstream:bool
git_cherry_pick | Apply the changes introduced by an existing commit onto the current branch | repo_path:str*; revision:str*
"""

SERVERS["forge"] = """
forge_create_issue | Create a new issue in a repository | owner:str*; repo:str*; title:str*; body:str; labels:arr; assignees:arr
forge_list_issues | List issues in a repository with optional filters for state, labels and assignee | owner:str*; repo:str*; state:open/closed/all; labels:arr; assignee:str; since:str
forge_get_issue | Get the details of a specific issue, including its body and labels | owner:str*; repo:str*; issue_number:int*
forge_update_issue | Update an existing issue: title, body, state, labels, assignees or milestone | owner:str*; repo:str*; issue_number:int*; title:str; body:str; state:open/closed; labels:arr; assignees:arr; milestone:int
forge_add_issue_comment | Add a comment to an issue or pull request | owner:str*; repo:str*; issue_number:int*; body:str*
forge_search_issues | Search issues and pull requests across repositories using the forge search syntax | q:str*; sort:str; per_page:int
forge_create_pull_request | Create a new pull request | owner:str*; repo:str*; title:str*; head:str*:Branch with your changes; base:str*:Branch to merge into; body:str; draft:bool
forge_get_pull_request | Get details of a pull request: status, mergeability, checks, reviewers | owner:str*; repo:str*; pull_number:int*
forge_list_pull_requests | List and filter repository pull requests | owner:str*; repo:str*; state:open/closed/all; head:str; base:str; sort:str
forge_get_pull_request_diff | Get the unified diff of a pull request | owner:str*; repo:str*; pull_number:int*
forge_merge_pull_request | Merge a pull request | owner:str*; repo:str*; pull_number:int*; merge_method:merge/squash/rebase; commit_title:str
forge_request_reviewers | Request reviews on a pull request from users or teams | owner:str*; repo:str*; pull_number:int*; reviewers:arr; team_reviewers:arr
forge_create_review | Create a review on a pull request: approve, request changes, or comment, with optional line comments | owner:str*; repo:str*; pull_number:int*; event:APPROVE/REQUEST_CHANGES/COMMENT*; body:str; comments:arr
forge_search_code | Search for code across all repositories | q:str*; per_page:int
forge_get_file_contents | Get the contents of a file or directory from a repository at a given ref | owner:str*; repo:str*; path:str*; ref:str
forge_create_or_update_file | Create or update a single file in a repository with a commit | owner:str*; repo:str*; path:str*; content:str*; message:str*; branch:str*; sha:str:Blob SHA when replacing a file
forge_fork_repository | Fork a repository to your account or an organization | owner:str*; repo:str*; organization:str
forge_create_repository | Create a new repository in your account | name:str*; description:str; private:bool; autoInit:bool
forge_list_workflow_runs | List CI workflow runs for a repository, optionally filtered by branch, status or workflow | owner:str*; repo:str*; branch:str; status:str; workflow_id:str
forge_rerun_workflow | Re-run a workflow run, optionally only its failed jobs | owner:str*; repo:str*; run_id:int*; failed_only:bool
forge_get_job_logs | Download the logs of a CI job | owner:str*; repo:str*; job_id:int*; tail_lines:int
forge_create_release | Create a release from a tag, with notes | owner:str*; repo:str*; tag_name:str*; name:str; body:str; draft:bool; prerelease:bool
forge_list_branches | List branches in a repository | owner:str*; repo:str*; protected:bool
forge_list_commits | List commits of a branch, newest first | owner:str*; repo:str*; sha:str; author:str; since:str
"""

SERVERS["browser"] = """
browser_navigate | Navigate to a URL | url:str*
browser_navigate_back | Go back to the previous page |
browser_snapshot | Capture accessibility snapshot of the current page, this is better than screenshot |
browser_take_screenshot | Take a screenshot of the current page. You can't perform actions based on the screenshot, use browser_snapshot for actions. | fullPage:bool; element:str; filename:str
browser_click | Perform click on a web page | element:str*:Human-readable element description; ref:str*:Exact target element reference from the page snapshot; doubleClick:bool
browser_type | Type text into editable element | element:str*; ref:str*; text:str*; submit:bool:Whether to press Enter after
browser_fill_form | Fill multiple form fields at once | fields:arr*
browser_select_option | Select an option in a dropdown | element:str*; ref:str*; values:arr*
browser_hover | Hover over element on page | element:str*; ref:str*
browser_press_key | Press a key on the keyboard | key:str*
browser_wait_for | Wait for text to appear or disappear or a specified time to pass | text:str; textGone:str; time:num
browser_evaluate | Evaluate JavaScript expression on page or element | function:str*; element:str; ref:str
browser_file_upload | Upload one or multiple files | paths:arr*
browser_tabs | List, create, close, or select a browser tab. | action:list/new/close/select*; index:int
browser_console_messages | Returns all console messages | onlyErrors:bool
browser_network_requests | Returns all network requests since loading the page |
browser_pdf_save | Save page as PDF | filename:str
browser_close | Close the page |
browser_resize | Resize the browser window | width:int*; height:int*
"""

SERVERS["web"] = """
fetch | Fetches a URL from the internet and optionally extracts its contents as markdown. Although originally you did not have internet access, this tool now grants it to you. | url:str*; max_length:int; start_index:int; raw:bool
web_search | Performs a web search using a privacy-respecting search engine. Use this for general queries, current events and finding pages; returns titles, URLs and snippets. | query:str*; count:int; freshness:day/week/month/year
news_search | Search recent news articles. | query:str*; count:int; country:str
image_search | Search for images on the web and return their URLs and sizes | query:str*; count:int; safesearch:bool
"""

SERVERS["databases"] = """
pg_query | Run a read-only SQL query against the connected PostgreSQL database | sql:str*
pg_execute | Execute a SQL statement that modifies data or schema (INSERT, UPDATE, DELETE, DDL). Requires write access to be enabled. | sql:str*
pg_list_schemas | List all schemas in the database |
pg_list_tables | List tables in a schema | schema:str
pg_describe_table | Show columns, types, indexes and constraints of a table | table:str*; schema:str
pg_explain_query | Explain a query's execution plan, optionally with ANALYZE | sql:str*; analyze:bool
pg_list_slow_queries | Top queries by total execution time from pg_stat_statements | limit:int
sqlite_read_query | Execute a SELECT query on the SQLite database | query:str*
sqlite_write_query | Execute an INSERT, UPDATE, or DELETE query on the SQLite database | query:str*
sqlite_create_table | Create a new table in the SQLite database | query:str*
sqlite_list_tables | List all tables in the SQLite database |
sqlite_describe_table | Get the schema information for a specific table | table_name:str*
mongo_find | Run a find query against a MongoDB collection | database:str*; collection:str*; filter:obj; projection:obj; limit:int; sort:obj
mongo_aggregate | Run an aggregation pipeline against a collection | database:str*; collection:str*; pipeline:arr*
mongo_insert_many | Insert documents into a collection | database:str*; collection:str*; documents:arr*
mongo_list_collections | List collections in a MongoDB database | database:str*
redis_get | Get the value of a key | key:str*
redis_set | Set a key to a value with an optional expiry in seconds | key:str*; value:str*; expire_seconds:int
redis_delete | Delete one or more keys | keys:arr*
redis_scan_keys | List keys matching a pattern (uses SCAN, safe on production) | pattern:str*; count:int
"""

SERVERS["home"] = """
HassTurnOn | Turns on/opens/presses a device or entity | name:str; area:str; domain:arr; device_class:arr
HassTurnOff | Turns off/closes a device or entity | name:str; area:str; domain:arr; device_class:arr
HassLightSet | Sets the brightness percentage or color of a light | name:str; area:str; brightness:int:0-100; color:str; temperature:int:Kelvin
HassClimateSetTemperature | Sets the target temperature of a climate device | name:str; area:str; temperature:num*
HassClimateGetTemperature | Gets the current temperature of a climate device or sensor | name:str; area:str
HassGetState | Gets the current state of a device or entity | name:str; area:str; domain:arr; state:str
HassLockDoor | Locks a lock | name:str*
HassUnlockDoor | Unlocks a lock. Requires confirmation for exterior doors. | name:str*; code:str
HassSetPosition | Sets the position of a cover, blind or valve | name:str; area:str; position:int*:0-100
HassVacuumStart | Starts a vacuum | name:str
HassVacuumReturnToBase | Sends a vacuum back to its dock | name:str
HassMediaPause | Pauses a media player | name:str; area:str
HassMediaUnpause | Resumes a media player | name:str; area:str
HassSetVolume | Sets the volume of a media player | name:str; area:str; volume_level:int*:0-100
HassActivateScene | Activates a scene, e.g. 'Movie night' or 'Good morning' | name:str*
HassRunAutomation | Triggers a Home Assistant automation or script by name | name:str*
HassListAreas | Lists the areas (rooms) configured in the home and the devices in each |
HassGetHistory | Returns the state history of an entity over a time window, e.g. how often the front door opened today | entity_id:str*; start_time:str; end_time:str
HassCameraSnapshot | Returns a still image from a camera entity | name:str*
HassSetTimer | Starts a timer on a voice satellite | minutes:int; seconds:int; name:str
HassBroadcast | Broadcast an announcement through the speakers in the home | message:str*; area:str
"""

SERVERS["notes"] = """
notes_search | Simple search for notes in the vault matching a text query. Returns file paths with surrounding context for each match. | query:str*; context_length:int
notes_search_complex | Complex search using JsonLogic over note metadata (tags, frontmatter, path globs). Use when the user filters by tag or date rather than by text. | query:obj*
notes_get_file_contents | Return the content of a single note in the vault | filepath:str*
notes_batch_get_file_contents | Return the contents of multiple notes, concatenated with headers | filepaths:arr*
notes_list_files_in_dir | Lists all files and directories in a specific vault directory | dirpath:str*
notes_append_content | Append content to a new or existing note in the vault | filepath:str*; content:str*
notes_patch_content | Insert content into an existing note relative to a heading, block reference, or frontmatter field | filepath:str*; operation:append/prepend/replace*; target_type:heading/block/frontmatter*; target:str*; content:str*
notes_delete_file | Delete a file or directory from the vault | filepath:str*; confirm:bool*
notes_get_periodic_note | Get the current periodic note (daily, weekly, monthly) | period:daily/weekly/monthly/quarterly/yearly*
notes_recent_changes | Get recently modified notes in the vault | limit:int; days:int
notes_get_backlinks | List the notes that link to a given note | filepath:str*
"""

SERVERS["calendar"] = """
list_events | List events on a calendar between two times. | calendarId:str; timeMin:str; timeMax:str; q:str:Free-text filter
get_event | Get one event by id, with attendees and conference details. | eventId:str*; calendarId:str
create_event | Create a calendar event. Attendees get an invitation email; add a video link with conference=true. | summary:str*; start:str*; end:str*; attendees:arr; location:str; description:str; conference:bool; recurrence:arr; calendarId:str
update_event | Update fields of an existing event (time, title, attendees, location). | eventId:str*; summary:str; start:str; end:str; attendees:arr; location:str; sendUpdates:all/externalOnly/none
delete_event | Delete (cancel) an event. Attendees are notified. | eventId:str*; sendUpdates:all/externalOnly/none
find_free_time | Find open slots common to a list of people within a time window. | attendees:arr*; timeMin:str*; timeMax:str*; durationMinutes:int*
respond_to_event | RSVP to an invitation | eventId:str*; response:accepted/declined/tentative*; comment:str
list_calendars | Lists the calendars the user can see. |
"""

SERVERS["email"] = """
search_emails | Searches for emails using Gmail-style search syntax (from:, to:, subject:, has:attachment, after:, before:). | query:str*; maxResults:int
read_email | Retrieves the content of a specific email, including headers, body and attachment list | messageId:str*
send_email | Sends a new email | to:arr*; subject:str*; body:str*; cc:arr; bcc:arr; attachments:arr:Local file paths to attach; htmlBody:str
reply_email | Reply to an email in its thread; set replyAll to include everyone | messageId:str*; body:str*; replyAll:bool; attachments:arr
forward_email | Forward an email to new recipients with an optional note | messageId:str*; to:arr*; note:str
draft_email | Creates a draft email without sending it | to:arr*; subject:str*; body:str*; cc:arr
modify_email | Modifies email labels: move to folders, archive (remove INBOX), mark read/unread, star | messageId:str*; addLabelIds:arr; removeLabelIds:arr
delete_email | Permanently deletes an email | messageId:str*
list_email_labels | Retrieves all available Gmail labels |
create_label | Creates a new Gmail label | name:str*
download_attachment | Downloads an email attachment to a local path | messageId:str*; attachmentId:str*; savePath:str
create_filter | Creates a Gmail filter with criteria and actions (e.g. auto-label or auto-archive mail from a sender) | criteria:obj*; action:obj*
batch_modify_emails | Modifies labels for many emails at once | messageIds:arr*; addLabelIds:arr; removeLabelIds:arr
"""

SERVERS["chat"] = """
slack_list_channels | List public channels in the workspace with pagination | limit:int; cursor:str
slack_post_message | Post a new message to a Slack channel | channel_id:str*; text:str*
slack_reply_to_thread | Reply to a specific message thread in Slack | channel_id:str*; thread_ts:str*; text:str*
slack_add_reaction | Add a reaction emoji to a message | channel_id:str*; timestamp:str*; reaction:str*
slack_get_channel_history | Get recent messages from a channel | channel_id:str*; limit:int
slack_get_thread_replies | Get all replies in a message thread | channel_id:str*; thread_ts:str*
slack_get_users | Get a list of all users in the workspace with their basic profile information | limit:int; cursor:str
slack_get_user_profile | Get detailed profile information for a specific user | user_id:str*
slack_search_messages | Search messages across channels the user can see. Supports in:#channel, from:@user, before:, after: modifiers. | query:str*; count:int
slack_send_dm | Open a direct message with a user and send them a message | user_id:str*; text:str*
slack_set_status | Set your own status text, emoji and expiry | status_text:str*; status_emoji:str; expiration_minutes:int
slack_create_channel | Create a channel | name:str*; is_private:bool
slack_invite_to_channel | Invite users to a channel | channel_id:str*; user_ids:arr*
slack_schedule_message | Schedule a message to be posted to a channel at a later time | channel_id:str*; text:str*; post_at:str*
slack_upload_file | Upload a file and share it in a channel | channel_id:str*; file_path:str*; title:str; initial_comment:str
slack_set_channel_topic | Set the topic of a channel | channel_id:str*; topic:str*
"""

SERVERS["sheets"] = """
sheets_get_values | Read values from a range of a spreadsheet (A1 notation) | spreadsheet_id:str*; range:str*
sheets_update_values | Write values to a range, overwriting what is there | spreadsheet_id:str*; range:str*; values:arr*
sheets_append_rows | Append rows after the last row of data in a sheet | spreadsheet_id:str*; sheet:str*; rows:arr*
sheets_create_spreadsheet | Create a new spreadsheet | title:str*; sheets:arr
sheets_add_sheet | Add a tab to a spreadsheet | spreadsheet_id:str*; title:str*
sheets_list_sheets | List the tabs of a spreadsheet | spreadsheet_id:str*
sheets_clear_range | Clear all values from a range | spreadsheet_id:str*; range:str*
sheets_format_cells | Apply formatting (bold, colors, number format, borders) to a range | spreadsheet_id:str*; range:str*; format:obj*
sheets_add_chart | Insert a chart built from a data range | spreadsheet_id:str*; sheet:str*; source_range:str*; chart_type:bar/line/pie/column/scatter*; title:str
sheets_find_replace | Find and replace text across a sheet or the whole spreadsheet | spreadsheet_id:str*; find:str*; replacement:str*; sheet:str; match_case:bool
sheets_sort_range | Sort rows in a range by one or more columns | spreadsheet_id:str*; range:str*; sort_specs:arr*
drive_search_files | Search Drive files by name or full text; returns ids, names and MIME types | query:str*; mime_type:str; page_size:int
drive_share_file | Share a Drive file with people by email, as viewer, commenter or editor | file_id:str*; emails:arr*; role:reader/commenter/writer*; notify:bool
docs_create_document | Create a new document, optionally with initial text | title:str*; content:str
docs_get_document_text | Get the plain text of a document | document_id:str*
docs_insert_text | Insert text at an index or at the end of a document | document_id:str*; text:str*; index:int
docs_replace_all_text | Replace every occurrence of a string in a document | document_id:str*; find:str*; replace:str*
docs_export | Export a document as PDF, DOCX, or Markdown | document_id:str*; format:pdf/docx/md*; save_path:str
docs_add_comment | Add a comment to a document, optionally anchored to quoted text | document_id:str*; content:str*; quoted_text:str
"""

SERVERS["cloud"] = """
ec2_describe_instances | Describe EC2 instances, optionally filtered by tag, state or instance id | filters:obj; instance_ids:arr; region:str
ec2_start_instances | Start stopped EC2 instances | instance_ids:arr*; region:str
ec2_stop_instances | Stop running EC2 instances | instance_ids:arr*; region:str; force:bool
ec2_reboot_instances | Reboot EC2 instances | instance_ids:arr*; region:str
cloudwatch_get_metric_data | Retrieve CloudWatch metric statistics (CPU, latency, errors...) for a resource over a period | namespace:str*; metric_name:str*; dimensions:obj; start_time:str*; end_time:str*; period:int; stat:str
cloudwatch_list_alarms | List CloudWatch alarms and their current state | state:OK/ALARM/INSUFFICIENT_DATA; prefix:str
cloudwatch_put_alarm | Create or update a CloudWatch alarm | alarm_name:str*; metric_name:str*; namespace:str*; threshold:num*; comparison:str*; evaluation_periods:int; sns_topic_arn:str
logs_query | Run a CloudWatch Logs Insights query against one or more log groups and wait for results | log_groups:arr*; query:str*; start_time:str*; end_time:str*
s3_list_buckets | List S3 buckets in the account |
s3_list_objects | List objects in an S3 bucket under an optional prefix | bucket:str*; prefix:str; max_keys:int
s3_get_object | Download an object from S3 (text returned inline, binary saved to a path) | bucket:str*; key:str*; save_path:str
s3_put_object | Upload a local file or text to S3 | bucket:str*; key:str*; file_path:str; body:str; content_type:str
s3_presign_url | Create a time-limited download URL for an S3 object | bucket:str*; key:str*; expires_seconds:int
lambda_list_functions | List Lambda functions | region:str
lambda_invoke | Invoke a Lambda function synchronously with a JSON payload | function_name:str*; payload:obj
ce_get_cost_and_usage | Get AWS cost and usage for a period, grouped by service, account or tag | start:str*; end:str*; granularity:DAILY/MONTHLY; group_by:str
iam_list_users | List IAM users | path_prefix:str
iam_list_access_keys | List the access keys of an IAM user with their age and last-used date | user_name:str*
"""

SERVERS["kubernetes"] = """
pods_list | List all the Kubernetes pods in the current cluster from all namespaces | labelSelector:str
pods_list_in_namespace | List all the Kubernetes pods in the specified namespace | namespace:str*; labelSelector:str
pods_get | Get a Kubernetes Pod in the current or provided namespace with the provided name | name:str*; namespace:str
pods_log | Get the logs of a Kubernetes Pod | name:str*; namespace:str; container:str; previous:bool:Return logs of the previous terminated container; tail:int
pods_delete | Delete a Kubernetes Pod (its controller will recreate it) | name:str*; namespace:str
pods_exec | Execute a command in a Kubernetes Pod container | name:str*; namespace:str; command:arr*; container:str
pods_top | List the resource consumption (CPU and memory) of pods | namespace:str; all_namespaces:bool
resources_get | Get a Kubernetes resource of any kind by apiVersion, kind and name | apiVersion:str*; kind:str*; name:str*; namespace:str
resources_list | List Kubernetes resources of any kind (deployments, services, ingresses, CRDs...) | apiVersion:str*; kind:str*; namespace:str; labelSelector:str
resources_create_or_update | Create or update a Kubernetes resource from a YAML or JSON manifest | resource:str*
resources_delete | Delete a Kubernetes resource | apiVersion:str*; kind:str*; name:str*; namespace:str
deployment_scale | Scale a deployment to a number of replicas | name:str*; namespace:str; replicas:int*
rollout_restart | Restart a deployment's pods with a rolling update | name:str*; namespace:str
rollout_undo | Roll a deployment back to its previous revision | name:str*; namespace:str; to_revision:int
events_list | List all the Kubernetes events in the current cluster from all namespaces | namespace:str
namespaces_list | List all the Kubernetes namespaces in the current cluster |
helm_list | List all the Helm releases in the current or provided namespace | namespace:str; all_namespaces:bool
helm_upgrade | Upgrade (or install) a Helm release with a chart and values | name:str*; chart:str*; namespace:str; values:obj; version:str
"""

SERVERS["docker"] = """
list_containers | List Docker containers | all:bool:Include stopped containers
run_container | Create and start a container from an image | image:str*; name:str; ports:obj; environment:obj; volumes:arr; detach:bool
stop_container | Stop a running container | container_id:str*
remove_container | Remove a container | container_id:str*; force:bool
fetch_container_logs | Fetch the logs of a container | container_id:str*; tail:int
pull_image | Pull an image from a registry | repository:str*; tag:str
build_image | Build an image from a Dockerfile in a local path | path:str*; tag:str*; dockerfile:str
list_images | List local images |
prune_system | Remove stopped containers, dangling images and unused networks to reclaim disk space | volumes:bool
"""

SERVERS["music"] = """
playMusic | Start playback. Pass a track, album, artist or playlist URI, or nothing to resume. | uri:str; deviceId:str
pausePlayback | Pause playback on the active device | deviceId:str
skipToNext | Skip to the next track in the queue | deviceId:str
skipToPrevious | Skip to the previous track | deviceId:str
setVolume | Set the playback volume | volumePercent:int*
setShuffle | Turn shuffle on or off | state:bool*
setRepeat | Set the repeat mode | state:track/context/off*
searchMusic | Search the catalog for tracks, albums, artists or playlists | query:str*; type:track/album/artist/playlist; limit:int
getNowPlaying | Get information about the currently playing track |
addToQueue | Add a track or episode to the end of the playback queue | uri:str*
getQueue | Get the list of tracks in the user's queue |
getRecentlyPlayed | Get the user's recently played tracks | limit:int
saveTracks | Save tracks to the user's liked songs | trackIds:arr*
getMyPlaylists | Get the current user's playlists | limit:int
createPlaylist | Create a new playlist | name:str*; description:str; public:bool
addTracksToPlaylist | Add tracks to a playlist | playlistId:str*; trackUris:arr*; position:int
getAvailableDevices | List the user's devices that can play music |
transferPlayback | Transfer playback to another device | deviceId:str*; play:bool
getLyrics | Get the lyrics of a track, if available | trackId:str*
"""

SERVERS["car"] = """
vehicle_get_status | Get a summary of the vehicle's state: locked, battery %, range, odometer, tire pressures, doors and windows. | vehicle_id:str
vehicle_get_location | Get where the car is parked or driving right now. | vehicle_id:str
door_lock | Lock the doors. | vehicle_id:str
door_unlock | Unlock the doors. | vehicle_id:str
climate_start | Start climate control (preconditioning) so the cabin is comfortable before you get in. | vehicle_id:str
climate_stop | Stop climate control. | vehicle_id:str
climate_set_temps | Set the driver and passenger cabin temperatures in Celsius. | driver_temp:num*; passenger_temp:num
seat_heater_set | Set a seat heater level (0 off to 3 high). | seat:driver/passenger/rear_left/rear_center/rear_right*; level:int*
steering_wheel_heater | Turn the steering wheel heater on or off. | on:bool*
defrost_max | Turn maximum defrost on or off to clear ice and fog from windows. | on:bool*
honk_horn | Honk the horn. |
flash_lights | Flash the headlights briefly, e.g. to find the car in a parking lot. |
actuate_trunk | Open or close the rear trunk or the front trunk (frunk). | which_trunk:rear/front*
window_control | Vent or close all windows. | command:vent/close*
charge_start | Start charging if plugged in. | vehicle_id:str
charge_stop | Stop charging. | vehicle_id:str
set_charge_limit | Set the charge limit as a percentage of battery capacity. | percent:int*
charge_port_open | Open the charge port door. |
navigation_send_destination | Send an address or place to the car's navigation so it is ready when you get in. | destination:str*
set_scheduled_departure | Set a departure time so the car finishes charging and preconditions by then. | departure_time:str*; precondition:bool; off_peak_charging:bool
sentry_mode | Turn sentry (security camera) mode on or off. | on:bool*
"""

SERVERS["todo"] = """
todoist_create_task | Create one or more tasks in Todoist. Supports natural language due dates like 'tomorrow at 5pm' or 'every monday'. | content:str*; description:str; project_id:str; due_string:str; priority:int:1 (normal) to 4 (urgent); labels:arr
todoist_get_tasks | Get a list of tasks from Todoist with optional filters (project, label, 'today', 'overdue') | project_id:str; filter:str; limit:int
todoist_update_task | Update an existing task found by searching its name | task_name:str*; content:str; description:str; due_string:str; priority:int
todoist_complete_task | Mark a task as complete by searching its name | task_name:str*
todoist_delete_task | Remove a task found by searching its name | task_name:str*
todoist_create_project | Create a new project | name:str*; color:str; parent_id:str
todoist_get_projects | List all projects |
todoist_add_comment | Add a comment to a task | task_name:str*; content:str*
"""

SERVERS["tracker"] = """
linear_create_issue | Creates a new Linear issue with the specified details. Use this to create tickets for tasks, bugs, or feature requests. Returns the created issue's identifier and URL. | title:str*; teamId:str*; description:str; priority:int:0 none, 1 urgent, 2 high, 3 normal, 4 low; status:str; assigneeId:str; labels:arr
linear_update_issue | Updates an existing Linear issue's properties: title, description, status, priority or assignee. | id:str*; title:str; description:str; status:str; priority:int; assigneeId:str
linear_search_issues | Searches Linear issues using flexible criteria. Supports filtering by any combination of: title/description text, team, status, assignee, labels, priority. | query:str; teamId:str; status:str; assigneeId:str; labels:arr; priority:int; limit:int
linear_get_user_issues | Retrieves issues assigned to a user, or to the authenticated user when no user is given. | userId:str; includeArchived:bool; limit:int
linear_add_comment | Adds a comment to an existing Linear issue. Supports markdown. | issueId:str*; body:str*
linear_list_teams | Lists the teams in the workspace |
linear_list_cycles | Lists the cycles (sprints) of a team, with their dates and progress | teamId:str*
linear_create_project | Creates a project that groups issues toward a deliverable | name:str*; teamIds:arr*; description:str; targetDate:str
linear_link_issues | Marks one issue as blocking, blocked by, related to or a duplicate of another | issueId:str*; relatedIssueId:str*; type:blocks/blocked_by/related/duplicate*
"""

SERVERS["errors"] = """
sentry_list_issues | List unresolved error issues for a project, most frequent first | organization_slug:str*; project_slug:str*; query:str; statsPeriod:str
sentry_get_issue | Retrieve and analyze a Sentry issue by ID or URL: title, status, counts, first/last seen, latest stacktrace | issue_id_or_url:str*
sentry_update_issue | Resolve, ignore or assign an issue | issue_id:str*; status:resolved/ignored/unresolved; assignedTo:str
sentry_search_events | Search raw error and transaction events with a query and time range | organization_slug:str*; query:str*; statsPeriod:str
sentry_list_releases | List releases of a project with their adoption and crash-free rates | organization_slug:str*; project_slug:str*
sentry_get_trace | Get the spans of a distributed trace by trace id | trace_id:str*
"""

SERVERS["memory"] = """
create_entities | Create multiple new entities in the knowledge graph | entities:arr*
create_relations | Create multiple new relations between entities in the knowledge graph. Relations should be in active voice | relations:arr*
add_observations | Add new observations to existing entities in the knowledge graph | observations:arr*
delete_entities | Delete multiple entities and their associated relations from the knowledge graph | entityNames:arr*
delete_observations | Delete specific observations from entities in the knowledge graph | deletions:arr*
read_graph | Read the entire knowledge graph |
search_nodes | Search for nodes in the knowledge graph based on a query | query:str*
open_nodes | Open specific nodes in the knowledge graph by their names | names:arr*
"""

SERVERS["utilities"] = """
get_current_time | Get current time in a specific timezones | timezone:str*:IANA timezone name, e.g. 'Europe/Warsaw'
convert_time | Convert time between timezones | source_timezone:str*; time:str*:HH:MM 24-hour; target_timezone:str*
get_weather_forecast | Get the weather forecast for a location for the next days | location:str*; days:int
get_current_weather | Current conditions (temperature, wind, precipitation) for a city or coordinates | location:str*; units:metric/imperial
get_weather_alerts | Get active weather alerts (storms, floods, heat) for a US state or area | area:str*
calculate | Evaluate a math expression exactly | expression:str*
convert_units | Convert a quantity between units (length, mass, volume, temperature, currency not included) | value:num*; from_unit:str*; to_unit:str*
currency_convert | Convert an amount between currencies at today's rate | amount:num*; from:str*; to:str*
translate_text | Translate text into a target language | text:str*; target_language:str*; source_language:str
"""

SERVERS["travel"] = """
maps_geocode | Convert an address into geographic coordinates | address:str*
maps_reverse_geocode | Convert coordinates into an address | latitude:num*; longitude:num*
maps_search_places | Search for places using a text query, optionally near a location | query:str*; location:obj; radius:int
maps_place_details | Get detailed information about a specific place: hours, phone, rating, reviews | place_id:str*
maps_directions | Get directions between two points | origin:str*; destination:str*; mode:driving/walking/bicycling/transit
maps_distance_matrix | Calculate travel distance and time for multiple origins and destinations | origins:arr*; destinations:arr*; mode:driving/walking/bicycling/transit
search_flights | Search one-way or round-trip flights between airports for dates and passengers | origin:str*; destination:str*; departure_date:str*; return_date:str; adults:int; cabin:economy/premium/business/first
search_hotels | Search hotels in a city for check-in/check-out dates with price and rating filters | city:str*; check_in:str*; check_out:str*; guests:int; max_price:num; min_rating:num
book_hotel | Book a hotel room from a search result | offer_id:str*; guest_name:str*; payment_token:str*
"""

SERVERS["phone"] = """
contacts_search | Search the address book by name, company, phone or email | query:str*
contacts_create | Add a contact to the address book | name:str*; phone:str; email:str; company:str; notes:str
contacts_update | Update a contact's details | contact_id:str*; phone:str; email:str; company:str; notes:str
send_sms | Send a text message from the user's phone number | to:str*; body:str*
make_call | Place a phone call from the user's phone | to:str*
list_recent_calls | List recent incoming, outgoing and missed calls | type:missed/incoming/outgoing/all; limit:int
set_reminder | Set a reminder that notifies the user at a time or when arriving/leaving a place | text:str*; time:str; location:str; on:arrive/leave
set_alarm | Set an alarm clock | time:str*; label:str; repeat_days:arr
"""

SERVERS["payments"] = """
create_customer | This tool will create a customer in Stripe. | name:str*; email:str
list_customers | This tool will fetch a list of Customers from Stripe. | email:str; limit:int
create_product | This tool will create a product in Stripe. | name:str*; description:str
create_price | This tool will create a price in Stripe. If a product has not already been specified, a product should be created first. | product:str*; unit_amount:int*; currency:str*
create_payment_link | This tool will create a payment link in Stripe. | price:str*; quantity:int*
create_invoice | This tool will create an invoice in Stripe. | customer:str*; days_until_due:int
create_invoice_item | This tool will create an invoice item in Stripe. | customer:str*; price:str*; invoice:str*
finalize_invoice | This tool will finalize an invoice in Stripe. | invoice:str*
retrieve_balance | This tool will retrieve the balance from Stripe. It takes no input. |
create_refund | This tool will refund a payment intent in Stripe. | payment_intent:str*; amount:int
list_payment_intents | This tool will list payment intents in Stripe. | customer:str; limit:int
list_subscriptions | This tool will list all subscriptions in Stripe. | customer:str; status:str
cancel_subscription | This tool will cancel a subscription in Stripe. | subscription:str*
list_disputes | This tool will fetch a list of disputes in Stripe. | charge:str; limit:int
"""

SERVERS["crm"] = """
hubspot_search_objects | Search CRM objects (contacts, companies, deals, tickets) with filters and free text | objectType:contacts/companies/deals/tickets*; query:str; filterGroups:arr; limit:int
hubspot_create_object | Create a CRM record (contact, company, deal or ticket) with properties | objectType:contacts/companies/deals/tickets*; properties:obj*
hubspot_update_object | Update properties of a CRM record, e.g. move a deal to another stage | objectType:contacts/companies/deals/tickets*; objectId:str*; properties:obj*
hubspot_create_engagement | Log a note, call, email or meeting against a CRM record | type:NOTE/CALL/EMAIL/MEETING/TASK*; associations:obj*; body:str*
hubspot_associate | Associate two CRM records, e.g. a contact with a company | fromObjectType:str*; fromObjectId:str*; toObjectType:str*; toObjectId:str*
hubspot_list_pipelines | List deal pipelines and their stages | objectType:deals/tickets
"""

SERVERS["desktop"] = """
screenshot | Take a screenshot of the whole screen or one window | window_title:str
clipboard_read | Read the current text on the clipboard |
clipboard_write | Put text on the clipboard | text:str*
open_app | Open an application by name, optionally with a file or URL | name:str*; target:str
show_notification | Show a desktop notification | title:str*; message:str*
set_do_not_disturb | Turn Focus / Do Not Disturb on for a number of minutes or off | enabled:bool*; minutes:int
system_info | CPU, memory, disk usage and battery of this computer |
"""

SERVERS["meetings"] = """
zoom_create_meeting | Schedule a Zoom meeting and return the join link | topic:str*; start_time:str*; duration:int; invitees:arr; password:str
zoom_list_recordings | List cloud recordings for a date range | from:str*; to:str*
zoom_get_meeting_transcript | Get the transcript of a recorded meeting | meeting_id:str*
zoom_delete_meeting | Cancel a scheduled Zoom meeting | meeting_id:str*
"""

SERVERS["analytics"] = """
run_report | Runs a Google Analytics report: metrics (sessions, users, conversions...) by dimensions (date, page, country, source...) over a date range | property_id:str*; metrics:arr*; dimensions:arr; date_ranges:arr*; limit:int
run_realtime_report | Active users and events in the last 30 minutes | property_id:str*; metrics:arr*; dimensions:arr
"""

TYPES = {
    "str": "string",
    "int": "integer",
    "num": "number",
    "bool": "boolean",
    "arr": "array",
    "obj": "object",
}


def parse_param(spec: str):
    parts = spec.strip().split(":", 2)
    name, typ = parts[0].strip(), parts[1].strip()
    desc = parts[2].strip() if len(parts) > 2 else ""
    required = typ.endswith("*")
    typ = typ.rstrip("*")
    if typ in TYPES:
        schema = {"type": TYPES[typ]}
        if typ == "arr":
            schema["items"] = {}
    else:
        schema = {"type": "string", "enum": typ.split("/")}
    if desc:
        schema["description"] = desc
    return name, schema, required


def build():
    tools, servers = [], {}
    for server, table in SERVERS.items():
        for row in table.strip().splitlines():
            name, desc, params = (c.strip() for c in row.split("|"))
            props, req = {}, []
            for spec in filter(None, (p.strip() for p in params.split(";"))):
                pname, schema, required = parse_param(spec)
                props[pname] = schema
                if required:
                    req.append(pname)
            tools.append(
                {
                    "name": name,
                    "description": desc,
                    "parameters": {"type": "object", "properties": props, "required": req},
                }
            )
            servers.setdefault(server, []).append(name)
    names = [t["name"] for t in tools]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, f"duplicate names: {dup}"
    return tools, servers


def main():
    tools, servers = build()
    out = HERE / "mcp_desktop"
    out.mkdir(exist_ok=True)
    (out / "tools.json").write_text(
        json.dumps(tools, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    mpath = out / "manifest.json"
    manifest = json.loads(mpath.read_text(encoding="utf-8")) if mpath.exists() else {}
    manifest.update(
        {
            "name": "mcp_desktop",
            "description": (
                f"A retrieval catalog of {len(tools)} tools from {len(servers)} imagined MCP servers a "
                "developer/desktop agent connects to (file system, git, code forge + CI, browser "
                "automation, web fetch/search, SQL/NoSQL databases, home automation, notes vault, calendar, "
                "email, chat, spreadsheets/docs/drive, AWS-style cloud console, Kubernetes, Docker, music, "
                "smart car, todo list, issue tracker, error monitoring, memory graph, time/weather/units, "
                "maps/travel, phone/contacts, payments, CRM, desktop, video meetings, web analytics), with "
                "requests written by hand; tools lists every tool a request needs."
            ),
            "source": {
                "kind": "written by hand in the style of real MCP servers (terse and verbose descriptions, "
                "mixed naming conventions); no spec, dataset or generator was used",
                "builder": "benchmarks/data/foreign_retrieval/build_mcp.py",
                "servers": servers,
            },
        }
    )
    mpath.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(tools)} tools from {len(SERVERS)} servers")


if __name__ == "__main__":
    main()
