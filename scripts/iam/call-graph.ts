/**
 * Which AWS operations each batchctl command can send, read from the code with the TypeScript compiler API.
 *
 * src/aws/ is the only layer that imports the SDK (lint-enforced), and each of its narrow APIs (BatchApi, SfnApi…)
 * is an interface implemented by one object literal whose members each send their own `new XxxCommand(…)`. The walk
 * starts at a command's oclif entry points (run, and the lifecycle hooks init/catch/finally) and follows every value
 * reference and call into src/: functions, methods, variables' initialisers, object-literal members and, for a call
 * through an interface member (`aws.batch.describeJobQueues`), the member of the src/aws factory's object literal
 * that implements it. It over-approximates on purpose (a reference counts as a call; every branch counts), so a policy built
 * from it can grant more than one run needs but never less. Types are not followed: naming a type calls nothing.
 *
 * The factories that build a whole API (`createBatchApi` …) are not walked as a body, or every command would reach
 * every member: a command reaches a member only by naming it.
 *
 * `IAM_TRACE=batch:UpdateJobQueue npm run iam` prints, for each command that reaches that operation, the chain of
 * declarations (file:line) that leads to it.
 */
import { dirname, join, relative, sep } from 'node:path';

import * as ts from 'typescript';

/** The batchctl commands and the source file of each (Retire inherits Promote's run). */
export const COMMANDS = ['plan', 'promote', 'retire', 'rollback', 'drain', 'status'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** An SDK operation as `<sdk client package suffix>:<Operation>`, e.g. `batch:DescribeJobQueues`, `sfn:UpdateStateMachine`. */
export type SdkOperation = string;

const FACTORY = /^create\w*Api$/;
const ENTRY_METHODS = ['run', 'init', 'catch', 'finally'];

export function createProgram(repo: string): ts.Program {
  const configPath = join(repo, 'tsconfig.build.json');
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath));
  return ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
}

function inSrc(node: ts.Node, srcDir: string): boolean {
  const file = node.getSourceFile().fileName;
  return file.startsWith(srcDir + '/') || file.startsWith(srcDir + sep);
}

/** `@aws-sdk/client-batch` → `batch`, from a declaration's file path. */
function sdkClientOf(node: ts.Node): string | undefined {
  return /[/\\]@aws-sdk[/\\]client-([a-z0-9-]+)[/\\]/.exec(node.getSourceFile().fileName)?.[1];
}

interface Implementations {
  /** Interface member declaration → the factory members typed by it. */
  byMember: Map<ts.Node, ts.Node[]>;
  /** Member name → every factory member of that name: for a member of another, structurally compatible interface. */
  byName: Map<string, ts.Node[]>;
}

function isFactory(node: ts.Node): node is ts.FunctionDeclaration {
  return ts.isFunctionDeclaration(node) && !!node.name && FACTORY.test(node.name.text);
}

/**
 * Interface member declaration → the members that implement it inside the factories (`createBatchApi` returns an
 * object literal typed BatchApi). Only there: the factories are the one body the walk does not enter, and any other
 * object or class that implements an interface is built in code the walk does enter (a callback in an options
 * object is walked where the caller writes it), so mapping those too would only add every caller's callbacks to
 * every other caller.
 */
function indexImplementations(program: ts.Program, checker: ts.TypeChecker, srcDir: string): Implementations {
  const impls: Implementations = { byMember: new Map(), byName: new Map() };
  const add = (memberDecls: readonly ts.Declaration[] | undefined, impl: ts.Node, name: string): void => {
    impls.byName.set(name, [...(impls.byName.get(name) ?? []), impl]);
    for (const decl of memberDecls ?? []) {
      if (!ts.isPropertySignature(decl) && !ts.isMethodSignature(decl)) continue;
      impls.byMember.set(decl, [...(impls.byMember.get(decl) ?? []), impl]);
    }
  };
  const typesOf = (type: ts.Type | undefined): ts.Type[] =>
    !type ? [] : type.isUnionOrIntersection() ? type.types.flatMap(typesOf) : [type];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      // Only the API object itself (typed by one of src/aws's `…Api` interfaces), not the results its members build.
      const apis = typesOf(checker.getContextualType(node)).filter((type) =>
        (type.getSymbol()?.declarations ?? []).some(
          (d) => ts.isInterfaceDeclaration(d) && d.name.text.endsWith('Api') && inSrc(d, srcDir),
        ),
      );
      for (const type of apis) {
        for (const prop of node.properties) {
          const name = prop.name && ts.isIdentifier(prop.name) ? prop.name.text : undefined;
          if (name) add(checker.getPropertyOfType(type, name)?.declarations, prop, name);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const sf of program.getSourceFiles()) {
    if (!inSrc(sf, srcDir)) continue;
    for (const statement of sf.statements) if (isFactory(statement)) visit(statement);
  }
  return impls;
}

/** The class of each command, by its file in src/commands. */
function commandClass(program: ts.Program, srcDir: string, command: CommandName): ts.ClassDeclaration {
  const sf = program.getSourceFile(join(srcDir, 'commands', `${command}.ts`));
  const cls = sf?.statements.find(
    (s): s is ts.ClassDeclaration =>
      ts.isClassDeclaration(s) && !!s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword),
  );
  if (!cls) throw new Error(`src/commands/${command}.ts has no default-exported command class`);
  return cls;
}

export interface CallGraph {
  /** Per command, the SDK operations it can send, sorted. */
  operations: Record<CommandName, SdkOperation[]>;
}

/** Class declaration → the classes of src/ that extend it, directly or not. */
function indexSubclasses(
  program: ts.Program,
  checker: ts.TypeChecker,
  srcDir: string,
): Map<ts.Node, ts.ClassLikeDeclaration[]> {
  const direct = new Map<ts.Node, ts.ClassLikeDeclaration[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) {
      const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      const symbol = base && checker.getSymbolAtLocation(base.expression);
      const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      for (const decl of target?.declarations ?? []) direct.set(decl, [...(direct.get(decl) ?? []), node]);
    }
    ts.forEachChild(node, visit);
  };
  for (const sf of program.getSourceFiles()) if (inSrc(sf, srcDir)) visit(sf);
  const all = new Map<ts.Node, ts.ClassLikeDeclaration[]>();
  const collect = (cls: ts.Node): ts.ClassLikeDeclaration[] =>
    (direct.get(cls) ?? []).flatMap((sub) => [sub, ...collect(sub)]);
  for (const cls of direct.keys()) all.set(cls, collect(cls));
  return all;
}

export function analyse(repo: string, program: ts.Program = createProgram(repo)): CallGraph {
  const srcDir = join(repo, 'src');
  const checker = program.getTypeChecker();
  const impls = indexImplementations(program, checker, srcDir);
  const subclasses = indexSubclasses(program, checker, srcDir);

  const operationsFrom = (entries: ts.Node[]): SdkOperation[] => {
    const found = new Set<SdkOperation>();
    const seen = new Set<ts.Node>();
    const queue: ts.Node[] = [];
    const via = new Map<ts.Node, ts.Node>();
    let current: ts.Node | undefined;
    const record = (client: string, operation: string): void => {
      const op = `${client}:${operation}`;
      found.add(op);
      if (process.env.IAM_TRACE === op) {
        const chain: string[] = [];
        for (let n: ts.Node | undefined = current; n; n = via.get(n))
          chain.push(
            `${relative(repo, n.getSourceFile().fileName)}:${n.getSourceFile().getLineAndCharacterOfPosition(n.getStart()).line + 1}`,
          );
        console.error(op, chain.join(' <- '));
      }
    };
    const enqueue = (decl: ts.Node): void => {
      if (seen.has(decl)) return;
      seen.add(decl);
      if (current) via.set(decl, current);
      if (ts.isPropertySignature(decl) || ts.isMethodSignature(decl)) {
        const own = impls.byMember.get(decl);
        const name = decl.name.getText();
        // A member of an interface no factory is typed by (a narrower, structurally compatible one): every factory
        // member of that name may be behind it. Callbacks (confirm, onProgress…) match none and are walked where
        // the caller writes them.
        for (const impl of own ?? (inSrc(decl, srcDir) ? (impls.byName.get(name) ?? []) : [])) enqueue(impl);
        return;
      }
      if (!inSrc(decl, srcDir)) return;
      if (ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl) || ts.isTypeParameterDeclaration(decl))
        return;
      if (isFactory(decl)) return;
      // `this.method()` resolves to the class that declares it; a subclass may override it (Retire runs Promote's run).
      if ((ts.isMethodDeclaration(decl) || ts.isPropertyDeclaration(decl)) && ts.isClassLike(decl.parent)) {
        const name = decl.name.getText();
        for (const sub of subclasses.get(decl.parent) ?? [])
          for (const member of sub.members) if (member.name?.getText() === name) enqueue(member);
      }
      if (ts.isBindingElement(decl)) {
        // `const { plan } = require('../services/plan') as typeof import('../services/plan')`: the property of the
        // initialiser's type is the real declaration.
        const pattern = decl.parent;
        const holder = pattern.parent;
        const name = (decl.propertyName ?? decl.name) as ts.Node;
        if (ts.isVariableDeclaration(holder) && holder.initializer && ts.isIdentifier(name)) {
          const prop = checker.getPropertyOfType(checker.getTypeAtLocation(holder.initializer), name.text);
          for (const d of prop?.declarations ?? []) enqueue(d);
        }
      }
      queue.push(decl);
    };
    const resolve = (symbol: ts.Symbol | undefined): void => {
      if (!symbol) return;
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      for (const decl of target.declarations ?? []) enqueue(decl);
    };
    const isOwnName = (node: ts.Identifier): boolean =>
      !!node.parent && 'name' in node.parent && (node.parent as { name?: ts.Node }).name === node;

    const walk = (node: ts.Node): void => {
      if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) return;
      if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isImportDeclaration(node)) return;
      if (ts.isNewExpression(node)) {
        const symbol = checker.getSymbolAtLocation(
          ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression,
        );
        const decl = symbol?.declarations?.[0];
        const client = decl && sdkClientOf(decl);
        const name = symbol?.getName() ?? '';
        if (client && name.endsWith('Command') && name !== 'Command') record(client, name.slice(0, -7));
      }
      if (ts.isCallExpression(node)) {
        const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression;
        const symbol = ts.isIdentifier(callee) ? checker.getSymbolAtLocation(callee) : undefined;
        const decl = symbol?.declarations?.[0];
        const client = decl && sdkClientOf(decl);
        // The SDK's paginators (`paginateListJobs`) send the operation they are named after.
        if (client && /^paginate[A-Z]/.test(symbol?.getName() ?? ''))
          record(client, symbol.getName().slice('paginate'.length));
        const signature = checker.getResolvedSignature(node);
        if (signature?.declaration) enqueue(signature.declaration);
      }
      if (ts.isShorthandPropertyAssignment(node)) resolve(checker.getShorthandAssignmentValueSymbol(node));
      else if (ts.isIdentifier(node) && !isOwnName(node)) resolve(checker.getSymbolAtLocation(node));
      ts.forEachChild(node, walk);
    };

    for (const entry of entries) enqueue(entry);
    while (queue.length) {
      const decl = queue.shift()!;
      current = decl;
      if (ts.isVariableDeclaration(decl) || ts.isParameter(decl) || ts.isPropertyDeclaration(decl)) {
        if (decl.initializer) walk(decl.initializer);
      } else if (ts.isPropertyAssignment(decl)) walk(decl.initializer);
      else if (ts.isShorthandPropertyAssignment(decl)) resolve(checker.getShorthandAssignmentValueSymbol(decl));
      else if (ts.isBindingElement(decl)) {
        if (decl.initializer) walk(decl.initializer);
      } else if (ts.isFunctionLike(decl) || ts.isClassLike(decl)) {
        ts.forEachChild(decl, walk);
      }
    }
    return [...found].sort();
  };

  const operations = {} as Record<CommandName, SdkOperation[]>;
  for (const command of COMMANDS) {
    const cls = commandClass(program, srcDir, command);
    const type = checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(cls.name!)!);
    const entries = ENTRY_METHODS.flatMap((m) => checker.getPropertyOfType(type, m)?.declarations ?? []);
    if (!entries.length) throw new Error(`${command}: no run() found`);
    operations[command] = operationsFrom(entries);
  }
  return { operations };
}
