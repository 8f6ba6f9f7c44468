/**
 * A small built-in list of common English words for the letter-counting and spelling tasks.
 * Reference: everyday vocabulary with repeated letters (strawberry, banana, mississippi...).
 * Leaves out: non-English words and proper nouns.
 */
export const WORDS: readonly string[] = (
  "strawberry banana mississippi apple cherry raspberry blueberry lemon orange grape " +
  "coffee letter balloon bookkeeper committee success address happiness tomorrow necessary " +
  "parallel pepper puppy rabbit kitten butter dinner summer winter yellow " +
  "pizza jazz bubble cookie coconut avocado potato tomato onion carrot " +
  "garden window table chair pillow blanket mirror bottle kettle hammer " +
  "rocket planet galaxy comet meteor moon river ocean forest desert " +
  "mountain valley island village market school teacher student library pencil " +
  "paper number seven eleven twelve hundred thousand million billion season " +
  "morning evening weekend holiday journey travel passport ticket airport harbor " +
  "engineer doctor banker painter farmer baker runner swimmer dancer singer " +
  "elephant giraffe zebra monkey penguin dolphin squirrel parrot turtle tiger " +
  "keyboard monitor computer program variable function internet browser message coding " +
  "assessment embarrass occurrence possession accommodate referee tennessee barrel cinnamon llama"
).split(" ");
