/**
 * A seeded Faker with the English locale. Not `new Faker({ locale: [en] })` from the
 * package's index: that index loads every one of faker's locales, about half a second of
 * every start of the CLI; the English entry loads one. Same seed, same data as before.
 */
import type { Faker } from "@faker-js/faker";
import { faker as english } from "@faker-js/faker/locale/en";

type FakerClass = new (options: { locale: Faker["rawDefinitions"][]; seed?: number }) => Faker;
const EnglishFaker = english.constructor as FakerClass;

export function seededFaker(seed: number): Faker {
  return new EnglishFaker({ locale: [english.rawDefinitions], seed });
}
