#ifndef AK_UI_CHATLOG_H
#define AK_UI_CHATLOG_H

#include <stddef.h>

#include "ui/markdown.h"

/* The chat pane's transcript: the run's messages (the store's, then this
 * session's) and the reply arriving, each laid out for the pane's width
 * (the user's as typed, the assistant's as markdown) and kept until the
 * width or its text changes. Pure: no drawing. */

typedef struct chatlog chatlog;

typedef enum chatlog_end {
	CHATLOG_DONE,
	CHATLOG_INTERRUPTED,    /* cut short (Esc, Ctrl-C): what arrived stays, marked */
	CHATLOG_FAILED,         /* the note says what failed */
} chatlog_end;

chatlog *chatlog_new(void);
void chatlog_free(chatlog *l);
/* A whole message: role "user" or "assistant". A stored reply ending in
 * pipeline/chat.h's CHAT_INTERRUPTED line shows marked as one cut short. */
void chatlog_add(chatlog *l, const char *role, const char *text);
/* The assistant's reply as it arrives: begun, text appended (raw: made
 * safe when laid out), ended. */
void chatlog_reply_start(chatlog *l);
void chatlog_reply_text(chatlog *l, const char *text, size_t len);
void chatlog_reply_end(chatlog *l, chatlog_end how, const char *note);
/* A dim line under the last message (the tokens a turn used). */
void chatlog_note(chatlog *l, const char *note);
/* 1 while a reply is arriving. */
int chatlog_streaming(const chatlog *l);
/* Lays every message out for cols columns; the number of lines. */
size_t chatlog_layout(chatlog *l, int cols);
/* Line i of the last layout. */
const md_line *chatlog_line(const chatlog *l, size_t i);
/* The lines of the last layout. */
size_t chatlog_nlines(const chatlog *l);

/* The messages there are, the reply arriving included. */
size_t chatlog_count(const chatlog *l);
/* The message that line (of the last layout) is part of: its label, its
 * text, its notes and the blank line after it; chatlog_count past the end. */
size_t chatlog_message_of(const chatlog *l, size_t line);
/* The first line (the label) of message i in the last layout;
 * chatlog_nlines past the last message. */
size_t chatlog_first_line(const chatlog *l, size_t i);
/* Message i as it came, not laid out: the user's text as typed, the
 * reply's markdown as received (an interrupted one without its mark);
 * NULL past the last message. */
const char *chatlog_text(const chatlog *l, size_t i, size_t *len);
/* 1 when message i is the assistant's. */
int chatlog_is_reply(const chatlog *l, size_t i);

#endif
