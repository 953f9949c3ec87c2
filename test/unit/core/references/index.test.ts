import * as references from '../../../../src/core/references';
import { collectBatchTasks, DefinitionParseError } from '../../../../src/core/references/walk';
import { jobDefinitionsUsedWithQueue, matchReferences } from '../../../../src/core/references/match';
import { rewriteDefinition } from '../../../../src/core/references/rewrite';

describe('references index', () => {
  it('re-exports the public API', () => {
    expect(references.collectBatchTasks).toBe(collectBatchTasks);
    expect(references.matchReferences).toBe(matchReferences);
    expect(references.jobDefinitionsUsedWithQueue).toBe(jobDefinitionsUsedWithQueue);
    expect(references.rewriteDefinition).toBe(rewriteDefinition);
    expect(references.DefinitionParseError).toBe(DefinitionParseError);
  });

  it('exports exactly these runtime values', () => {
    expect(Object.keys(references).sort()).toEqual([
      'DefinitionParseError',
      'classifyBatchResource',
      'collectBatchTasks',
      'definitionNames',
      'detectIndentation',
      'formatStatePath',
      'isJsonataExpression',
      'jobDefinitionsUsedWithQueue',
      'matchJobDefinition',
      'matchQueue',
      'matchReferences',
      'parseDefinition',
      'revisionMatches',
      'rewriteDefinition',
      'taskLocation',
    ]);
  });

  it('works end to end: collect, match, rewrite, and match again finds nothing static', () => {
    const definition = JSON.stringify({
      StartAt: 'Submit',
      States: {
        Submit: {
          Type: 'Task',
          Resource: 'arn:aws:states:::batch:submitJob.sync',
          Parameters: { JobQueue: 'reproject-a', JobDefinition: 'reproject-job-a:3', 'JobName.$': '$.name' },
          End: true,
        },
      },
    });
    const target: references.WorkloadTarget = {
      queue: { name: 'reproject-a', arn: 'arn:aws:batch:us-east-1:123456789012:job-queue/reproject-a' },
      jobDefinitions: [
        {
          name: 'reproject-job-a',
          arn: 'arn:aws:batch:us-east-1:123456789012:job-definition/reproject-job-a',
          revisions: [3],
        },
      ],
    };
    expect(references.matchReferences(references.collectBatchTasks(definition), target)).toHaveLength(2);
    const { definition: rewritten, changes } = references.rewriteDefinition(definition, {
      queue: {
        from: target.queue,
        to: { name: 'reproject-b', arn: 'arn:aws:batch:us-east-1:123456789012:job-queue/reproject-b' },
      },
      jobDefinitions: [
        {
          from: target.jobDefinitions[0]!,
          to: {
            name: 'reproject-job-b',
            arn: 'arn:aws:batch:us-east-1:123456789012:job-definition/reproject-job-b',
            revision: 1,
          },
        },
      ],
    });
    expect(changes.map((c) => c.after)).toEqual(['reproject-b', 'reproject-job-b:1']);
    expect(rewritten).toBe(
      definition.replace('"reproject-a"', '"reproject-b"').replace('reproject-job-a:3', 'reproject-job-b:1'),
    );
    expect(references.matchReferences(references.collectBatchTasks(rewritten), target)).toEqual([]);
  });
});
