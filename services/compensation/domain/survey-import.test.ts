import { describe, expect, it } from 'vitest';
import { importFailureText } from './survey-import.ts';

const lambdaError = (errorType: string, errorMessage: string) =>
  JSON.stringify({ errorType, errorMessage, trace: [`${errorType}: ${errorMessage}`, '    at parseSurveyWorkbook (/var/task/index.mjs:1:2345)'] });

describe('importFailureText', () => {
  it("keeps a domain error's Chinese message and drops its stack trace", () => {
    const text = importFailureText('ValidationError', lambdaError('ValidationError', '文件无法读取：请上传由调查表模板填写的 .xlsx 文件'));
    expect(text).toBe('导入失败：文件无法读取：请上传由调查表模板填写的 .xlsx 文件');
  });

  it('names any other error without its message or trace', () => {
    const text = importFailureText('TypeError', lambdaError('TypeError', "Cannot read properties of undefined (reading 'x')"));
    expect(text).toContain('TypeError');
    expect(text).not.toContain('Cannot read');
    expect(text).not.toContain('/var/task');
    expect(text).toMatch(/^导入失败：/);
  });

  it('reads a cause that is not a Lambda error document (States.Timeout) or none at all', () => {
    expect(importFailureText('States.Timeout', 'Task timed out after 300.00 seconds')).toContain('States.Timeout');
    expect(importFailureText(undefined, undefined)).toContain('未知错误');
    // A domain error name with no message to show is treated like any other failure.
    expect(importFailureText('ValidationError', 'not json')).toContain('ValidationError');
  });
});
