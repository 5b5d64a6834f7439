import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';

/** A rendered mail: plain text for every client, HTML for those that show it. */
export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export class Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
  ) {}

  /**
   * Sends through SES with UTF-8 throughout, so Japanese subjects and bodies arrive intact.
   * Each recipient gets a copy of their own: nobody sees another's address (members,
   * vendors, managers), and the local SES stand-in keeps only the first To of a message.
   */
  async send(mail: Mail): Promise<string[]> {
    const ids: string[] = [];
    for (const to of new Set(mail.to)) {
      const out = await this.client.send(
        new SendEmailCommand({
          Source: this.from,
          Destination: { ToAddresses: [to] },
          Message: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: mail.text, Charset: 'UTF-8' },
              Html: { Data: mail.html, Charset: 'UTF-8' },
            },
          },
        }),
      );
      if (out.MessageId) ids.push(out.MessageId);
    }
    return ids;
  }
}
