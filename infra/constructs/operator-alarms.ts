import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface OperatorAlarmsProps {
  /** Where the alarms are mailed (council:operatorEmail). */
  operatorEmail: string;
  stateMachine: IStateMachine;
  /** Functions that run without a person waiting: the jobs, the workflow's tasks, the exports. */
  jobFunctions: IFunction[];
  /** Functions that serve pages. */
  pageFunctions: IFunction[];
  /** The export function's on-failure destination: each of its invocations is an export Lambda gave up on. */
  exportFailures: IFunction;
  /** Where every other asynchronous invocation that failed for good is kept. */
  failedInvocations: IQueue;
}

/** One look every five minutes; an alarm goes off at the first occurrence. */
const PERIOD = Duration.minutes(5);

/**
 * What the operator hears about by mail (an SNS topic with an e-mail subscription): a workflow
 * execution that stopped, an export given up, a job or page function that failed, Lambda
 * throttling, and an asynchronous invocation that failed for good. Each alarm says in Japanese
 * what happened and where to look; none carries personal data.
 */
export class OperatorAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperatorAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: '個人情報保護審議会 審議システム 運用通知', enforceSSL: true });
    this.topic.addSubscription(new EmailSubscription(props.operatorEmail));
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notices carry alarm names, states and metric values, never personal data; CloudWatch cannot publish to a topic under the AWS-managed SNS key, and a key of its own would cost more than the topic.',
    });
    const action = new SnsAction(this.topic);
    const sum = (label: string, metrics: IMetric[], metricName: (i: number) => string) =>
      new MathExpression({
        label,
        expression: metrics.map((_, i) => metricName(i)).join(' + '),
        usingMetrics: Object.fromEntries(metrics.map((m, i) => [metricName(i), m])),
        period: PERIOD,
      });
    const alarm = (alarmId: string, metric: IMetric, description: string) => {
      const a = new Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };
    const everyFunction = [...props.jobFunctions, ...props.pageFunctions, props.exportFailures];

    alarm(
      'WorkflowStopped',
      sum(
        'Executions failed, timed out or aborted',
        [
          props.stateMachine.metricFailed({ period: PERIOD }),
          props.stateMachine.metricTimedOut({ period: PERIOD }),
          props.stateMachine.metricAborted({ period: PERIOD }),
        ],
        (i) => ['failed', 'timedOut', 'aborted'][i]!,
      ),
      '諮問の処理(Step Functions の実行)が失敗・タイムアウト・中止で止まりました。事務局の諮問一覧の「処理が止まっている諮問」と実行の履歴で原因を確かめ、直してから再実行してください。',
    );
    alarm(
      'ExportsGivenUp',
      props.exportFailures.metricInvocations({ period: PERIOD, statistic: 'Sum' }),
      '議事録の書き出しが再試行の後も失敗し、失敗として記録されました。書き出し関数のログで原因を確かめてください(事務局は書き出しをやり直せます)。',
    );
    alarm(
      'JobErrors',
      sum(
        'Errors of the jobs, workflow tasks and exports',
        [...props.jobFunctions, props.exportFailures].map((f) => f.metricErrors({ period: PERIOD, statistic: 'Sum' })),
        (i) => `jobErrors${i}`,
      ),
      '定期処理・諮問の処理のタスク・議事録の書き出しの関数がエラーで終わりました。関数のログで原因を確かめてください(多くは自動で再試行されます)。',
    );
    alarm(
      'PageErrors',
      sum(
        'Errors of the page functions',
        props.pageFunctions.map((f) => f.metricErrors({ period: PERIOD, statistic: 'Sum' })),
        (i) => `pageErrors${i}`,
      ),
      '画面の関数がエラー(異常終了・タイムアウト)で終わりました。利用者には「エラーが発生しました」が表示されています。関数のログで原因を確かめてください。',
    );
    alarm(
      'Throttles',
      sum(
        'Throttled invocations of every function',
        everyFunction.map((f) => f.metricThrottles({ period: PERIOD, statistic: 'Sum' })),
        (i) => `throttles${i}`,
      ),
      'Lambda の呼び出しが同時実行数の上限で抑止されました。アカウントの同時実行数の上限と、異常な量のアクセスがないかを確かめてください。',
    );
    alarm(
      'FailedInvocations',
      props.failedInvocations.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      '非同期の呼び出し(定期処理、処理停止の記録、書き出しの失敗記録)が再試行の後も失敗し、失敗した呼び出しのキューに残っています。キューのメッセージで原因を確かめてください(14日で消えます)。',
    );
  }
}
