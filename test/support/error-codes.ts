/**
 * Every error code batchctl can print, read from src/ with the TypeScript compiler: the first argument of each call
 * to a function or constructor of src/ whose first parameter is named `code` (`new BatchctlError(code, …)`,
 * `usageError`, `invalidInput`, any later helper of the same shape), with the exit code it is raised with where the
 * call says so. An argument that is not a string literal is followed one step: `x ?? 'Literal'`, a property
 * (`options.timeoutCode`: every literal given to a property of that name), or a local computed by a function of src/
 * (`codeOf(…)`: the literals that function and the tables it reads contain). Re-raising an existing error's code
 * (`error.code`) and a helper forwarding its own `code` parameter add nothing. Anything else is reported as
 * unresolved, so a new way of choosing a code cannot hide codes from the troubleshooting page.
 */
import { join } from 'node:path';

import * as ts from 'typescript';

import { ExitCode } from '../../src/exit-codes';

export interface ErrorCodes {
  /** Code → the exit codes it is raised with (empty when the call site does not say). */
  codes: Map<string, Set<number>>;
  /** Call sites whose code could not be resolved (file:line and the expression). */
  unresolved: string[];
}

const CODE = /^[A-Z][A-Za-z0-9]+$/;
const EXIT: Record<string, number> = ExitCode;

export function errorCodesInSrc(repo: string): ErrorCodes {
  const configPath = join(repo, 'tsconfig.build.json');
  const parsed = ts.parseJsonConfigFileContent(
    ts.readConfigFile(configPath, (p) => ts.sys.readFile(p)).config,
    ts.sys,
    repo,
  );
  const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const srcDir = join(repo, 'src');
  const sources = program.getSourceFiles().filter((sf) => sf.fileName.startsWith(srcDir));
  const codes = new Map<string, Set<number>>();
  const unresolved: string[] = [];
  const add = (code: string, exit?: number): void => {
    const set = codes.get(code) ?? new Set<number>();
    if (exit !== undefined) set.add(exit);
    codes.set(code, set);
  };
  const literalsIn = (node: ts.Node, out: string[] = []): string[] => {
    if (ts.isStringLiteralLike(node) && CODE.test(node.text)) out.push(node.text);
    ts.forEachChild(node, (c) => void literalsIn(c, out));
    return out;
  };
  const propertyValues = (name: string): string[] =>
    sources.flatMap((sf) => {
      const out: string[] = [];
      const visit = (n: ts.Node): void => {
        if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === name)
          literalsIn(n.initializer, out);
        ts.forEachChild(n, visit);
      };
      visit(sf);
      return out;
    });
  /** The literals a function of src/ can return, with those of the module-level tables it reads. */
  const functionLiterals = (fn: ts.Node): string[] => {
    const out = literalsIn(fn);
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) {
        for (const d of checker.getSymbolAtLocation(n)?.declarations ?? []) {
          if (ts.isVariableDeclaration(d) && d.initializer && ts.isSourceFile(d.parent.parent.parent))
            literalsIn(d.initializer, out);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(fn);
    return out;
  };
  const exitOf = (call: ts.CallExpression | ts.NewExpression, callee: ts.SignatureDeclaration): number | undefined => {
    const name = callee.name && ts.isIdentifier(callee.name) ? callee.name.text : '';
    if (name === 'usageError') return ExitCode.Usage;
    if (name === 'invalidInput') return ExitCode.InvalidInput;
    const options = call.arguments?.[2];
    if (ts.isConstructorDeclaration(callee) && !options) return ExitCode.Error;
    if (options && ts.isObjectLiteralExpression(options)) {
      const prop = options.properties.find((p) => p.name?.getText() === 'exitCode');
      if (!prop) return ts.isConstructorDeclaration(callee) ? ExitCode.Error : undefined;
      const m = ts.isPropertyAssignment(prop) ? /^ExitCode\.(\w+)$/.exec(prop.initializer.getText()) : null;
      return m ? EXIT[m[1]!] : undefined;
    }
    return undefined;
  };

  for (const sf of sources) {
    const visit = (node: ts.Node): void => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.length) {
        const callee = checker.getResolvedSignature(node)?.declaration;
        const param = callee && !ts.isJSDocSignature(callee) ? callee.parameters[0] : undefined;
        const fromSrc = callee?.getSourceFile().fileName.startsWith(srcDir);
        if (callee && !ts.isJSDocSignature(callee) && fromSrc && param && param.name.getText() === 'code') {
          const arg = node.arguments[0]!;
          const exit = exitOf(node, callee);
          const where = `${sf.fileName.slice(repo.length + 1)}:${sf.getLineAndCharacterOfPosition(arg.getStart()).line + 1}`;
          const typeIsString = (checker.getTypeAtLocation(arg).flags & ts.TypeFlags.NumberLike) === 0;
          if (!typeIsString) {
            // e.g. an exit code as first argument: not an error code.
          } else if (ts.isStringLiteralLike(arg)) add(arg.text, exit);
          else {
            const found: string[] = literalsIn(arg);
            const base = ts.isBinaryExpression(arg) ? arg.left : arg;
            const symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(base) ? base.name : base);
            const decl = symbol?.declarations?.[0];
            const holderType = ts.isPropertyAccessExpression(base)
              ? checker.getNonNullableType(checker.getTypeAtLocation(base.expression)).getSymbol()?.getName()
              : undefined;
            if (decl && ts.isParameter(decl) && decl.name.getText() === 'code') {
              // A helper forwarding its own `code`: its callers are counted.
            } else if (holderType === 'BatchctlError') {
              // Re-raising an existing error's code.
            } else if (ts.isPropertyAccessExpression(base)) {
              found.push(...propertyValues(base.name.text));
            } else if (
              decl &&
              ts.isVariableDeclaration(decl) &&
              decl.initializer &&
              ts.isCallExpression(decl.initializer)
            ) {
              const fn = checker.getResolvedSignature(decl.initializer)?.declaration;
              if (fn && fn.getSourceFile().fileName.startsWith(srcDir)) found.push(...functionLiterals(fn));
              else unresolved.push(`${where} ${arg.getText()}`);
            } else if (!found.length) unresolved.push(`${where} ${arg.getText()}`);
            for (const code of found) add(code, exit);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { codes, unresolved };
}
