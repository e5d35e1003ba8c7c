'use strict';
// Lamina's local Node.js runtime for AWS Lambda handlers (built-in modules only, Node.js 18+).
//
// It speaks the Lambda Runtime API (version 2018-06-01) at AWS_LAMBDA_RUNTIME_API, as Lambda's Node.js runtime
// does: it loads the module named by _HANDLER ("file.export", "dir/file.nested.export") from LAMBDA_TASK_ROOT
// (.js, .mjs or .cjs, CommonJS or ES module), then for each invocation calls the handler with (event, context) —
// async handlers and promise-returning handlers are awaited, callback handlers (three parameters) answer through
// callback(error, result) — and posts the JSON result, or the error document {errorType, errorMessage, trace}.
// Load failures are posted to /runtime/init/error (Runtime.ImportModuleError, Runtime.HandlerNotFound, ...) and the
// process exits with status 1.
//
// After each invocation the shim writes an end marker line to stdout and stderr (INVOCATION_END_MARKER), so the
// Lamina host attributes every line to the right invocation.
//
// console.* output follows Lambda's formats: "timestamp\trequestId\tLEVEL\tmessage" lines (text), or JSON objects
// when AWS_LAMBDA_LOG_FORMAT is JSON (level from AWS_LAMBDA_LOG_LEVEL, default INFO).
//
// Differences from Lambda: a callback handler's answer is posted as soon as the callback is called (Lambda waits for
// the event loop to empty unless context.callbackWaitsForEmptyEventLoop is false); response streaming is not
// supported; the error document also carries "stackTrace" (the same frames as "trace").

const http = require('http');
const fs = require('fs');
const path = require('path');
const util = require('util');
const { pathToFileURL } = require('url');

const VERSION = '2018-06-01';
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const jsonFormat = (process.env.AWS_LAMBDA_LOG_FORMAT || '').toUpperCase() === 'JSON';
const minimumLevel = jsonFormat ? Math.max(0, LEVELS.indexOf((process.env.AWS_LAMBDA_LOG_LEVEL || 'INFO').toUpperCase())) : 0;
let currentRequestId;

function writeLog(level, args) {
  if (LEVELS.indexOf(level) < minimumLevel) {
    return;
  }
  const message = util.format(...args);
  const timestamp = new Date().toISOString();
  const line = jsonFormat
    ? JSON.stringify({ timestamp, level, requestId: currentRequestId, message })
    : `${timestamp}\t${currentRequestId === undefined ? 'undefined' : currentRequestId}\t${level}\t${message.replace(/\n/g, '\r')}`;
  // Pipes are written synchronously on Linux: the line is out before the response is posted.
  process.stdout.write(line + '\n');
}

console.log = (...args) => writeLog('INFO', args);
console.info = (...args) => writeLog('INFO', args);
console.warn = (...args) => writeLog('WARN', args);
console.error = (...args) => writeLog('ERROR', args);
console.debug = (...args) => writeLog('DEBUG', args);
console.trace = (...args) => writeLog('TRACE', args);
console.fatal = (...args) => writeLog('FATAL', args);

const address = process.env.AWS_LAMBDA_RUNTIME_API || '';
const separator = address.lastIndexOf(':');
const apiHost = address.slice(0, separator);
const apiPort = Number(address.slice(separator + 1));
// Written to both streams after each invocation, before its result is posted: the Lamina host then knows it has read
// every line of the invocation. The host does not record it.
const INVOCATION_END_MARKER = '\x1eLAMINA_INVOCATION_END ';

function endInvocation(requestId) {
  process.stdout.write(`${INVOCATION_END_MARKER}${requestId}\n`);
  process.stderr.write(`${INVOCATION_END_MARKER}${requestId}\n`);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function send(method, route, body, headers) {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: apiHost,
      port: apiPort,
      method,
      path: `/${VERSION}/runtime${route}`,
      agent,
      headers: Object.assign(body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }, headers || {}),
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    if (body !== undefined) {
      request.write(body);
    }
    request.end();
  });
}

async function post(route, body, errorType) {
  const response = await send('POST', route, body, errorType ? { 'Lambda-Runtime-Function-Error-Type': errorType } : undefined);
  if (response.status >= 400) {
    writeLog('WARN', [`The Runtime API rejected ${route}: ${response.status} ${response.body.toString('utf8')}`]);
  }
}

class Fault extends Error {
  constructor(errorType, message, trace) {
    super(message);
    this.errorType = errorType;
    this.faultTrace = trace || [];
  }
}

function errorDocument(error) {
  if (error instanceof Fault) {
    return { errorType: error.errorType, errorMessage: error.message, trace: error.faultTrace, stackTrace: error.faultTrace };
  }
  if (error instanceof Error) {
    const trace = (error.stack || `${error.name}: ${error.message}`).split('\n');
    return { errorType: error.name, errorMessage: error.message, trace, stackTrace: trace };
  }
  if (typeof error === 'string') {
    return { errorType: 'string', errorMessage: error, trace: [], stackTrace: [] };
  }
  let text;
  try {
    text = JSON.stringify(error);
  } catch {
    text = String(error);
  }
  return { errorType: typeof error, errorMessage: text === undefined ? String(error) : text, trace: [], stackTrace: [] };
}

async function loadHandler(handlerString, taskRoot) {
  const lastSlash = handlerString.lastIndexOf('/');
  const dot = handlerString.indexOf('.', lastSlash + 1);
  if (dot <= lastSlash + 1 || dot === handlerString.length - 1) {
    throw new Fault('Runtime.MalformedHandlerName', `Bad handler ${handlerString}`);
  }
  const moduleName = handlerString.slice(0, dot);
  const handlerPath = handlerString.slice(dot + 1);
  const base = path.resolve(taskRoot, moduleName);
  let file = ['.js', '.mjs', '.cjs'].map((extension) => base + extension).find((candidate) => fs.existsSync(candidate));
  if (file === undefined) {
    try {
      file = require.resolve(moduleName, { paths: [taskRoot] });
    } catch {
      throw new Fault('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'`);
    }
  }
  let namespace;
  try {
    namespace = await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new Fault('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`, (error.stack || '').split('\n'));
    }
    throw error;
  }
  const walk = (root) => handlerPath.split('.').reduce((value, key) => (value == null ? undefined : value[key]), root);
  let handler = walk(namespace);
  if (handler === undefined && namespace.default !== undefined) {
    handler = walk(namespace.default);
  }
  if (handler === undefined) {
    throw new Fault('Runtime.HandlerNotFound', `${moduleName}.${handlerPath} is undefined or not exported`);
  }
  if (typeof handler !== 'function') {
    throw new Fault('Runtime.HandlerNotFound', `${moduleName}.${handlerPath} is not a function`);
  }
  return handler;
}

function parseHeader(value) {
  if (!value) {
    return undefined;
  }
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function invoke(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) {
        return;
      }
      settled = true;
      if (error !== undefined && error !== null) {
        reject(error);
      } else {
        resolve(result);
      }
    };
    context.done = callback;
    context.succeed = (result) => callback(null, result);
    context.fail = (error) => callback(error === undefined || error === null ? 'handled' : error);
    let returned;
    try {
      returned = handler(event, context, callback);
    } catch (error) {
      callback(error);
      return;
    }
    if (returned && typeof returned.then === 'function') {
      returned.then((result) => callback(null, result), (error) => callback(error === undefined || error === null ? new Error('The handler rejected without a reason') : error));
    } else if (handler.length < 3) {
      // A synchronous handler that neither returns a promise nor takes a callback: Lambda answers null.
      callback(null, null);
    }
  });
}

async function main() {
  if (!address) {
    process.stderr.write('AWS_LAMBDA_RUNTIME_API is not set: this runtime must run inside Lambda or the Lamina local host.\n');
    return 3;
  }

  const taskRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
  let handler;
  try {
    handler = await loadHandler(process.env._HANDLER || '', taskRoot);
  } catch (error) {
    const document = errorDocument(error);
    writeLog('ERROR', [`Init Error \t${JSON.stringify(document)}`]);
    await post('/init/error', JSON.stringify(document), document.errorType);
    return 1;
  }

  for (;;) {
    const next = await send('GET', '/invocation/next');
    if (next.status !== 200) {
      writeLog('FATAL', [`The Runtime API answered ${next.status} to /invocation/next`]);
      return 2;
    }
    const requestId = next.headers['lambda-runtime-aws-request-id'];
    currentRequestId = requestId;
    const traceId = next.headers['lambda-runtime-trace-id'];
    if (traceId) {
      process.env._X_AMZN_TRACE_ID = traceId;
    } else {
      delete process.env._X_AMZN_TRACE_ID;
    }
    const deadline = Number(next.headers['lambda-runtime-deadline-ms'] || 0);
    const context = {
      callbackWaitsForEmptyEventLoop: true,
      awsRequestId: requestId,
      invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'],
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      clientContext: parseHeader(next.headers['lambda-runtime-client-context']),
      identity: parseHeader(next.headers['lambda-runtime-cognito-identity']),
      getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
    };
    const route = `/invocation/${encodeURIComponent(requestId)}`;
    let event;
    try {
      event = next.body.length === 0 ? {} : JSON.parse(next.body.toString('utf8'));
    } catch (error) {
      const document = { errorType: 'Runtime.UnmarshalError', errorMessage: `Unable to parse the event: ${error.message}`, trace: [], stackTrace: [] };
      writeLog('ERROR', [`Invoke Error \t${JSON.stringify(document)}`]);
      endInvocation(requestId);
      await post(`${route}/error`, JSON.stringify(document), document.errorType);
      continue;
    }
    let body;
    try {
      const result = await invoke(handler, event, context);
      body = JSON.stringify(result === undefined ? null : result);
    } catch (error) {
      const document = errorDocument(error);
      writeLog('ERROR', [`Invoke Error \t${JSON.stringify(document)}`]);
      endInvocation(requestId);
      await post(`${route}/error`, JSON.stringify(document), document.errorType);
      continue;
    }
    endInvocation(requestId);
    await post(`${route}/response`, body === undefined ? 'null' : body);
  }
}

main().then((code) => process.exit(code), (error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(2);
});
