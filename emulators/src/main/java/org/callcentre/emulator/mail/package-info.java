/**
 * A mail server for tests and the demo run: {@link org.callcentre.emulator.mail.MailEmulator} starts GreenMail's SMTP
 * and IMAP servers in memory, accepting mail for any recipient, with the mailbox the app polls.
 */
package org.callcentre.emulator.mail;
