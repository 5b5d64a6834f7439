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

  /** Sends through SES with UTF-8 throughout, so Japanese subjects and bodies arrive intact. */
  async send(mail: Mail): Promise<string | undefined> {
    const out = await this.client.send(
      new SendEmailCommand({
        Source: this.from,
        Destination: { ToAddresses: mail.to },
        Message: {
          Subject: { Data: mail.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: mail.text, Charset: 'UTF-8' },
            Html: { Data: mail.html, Charset: 'UTF-8' },
          },
        },
      }),
    );
    return out.MessageId;
  }
}
